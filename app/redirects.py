"""One rule for every redirect whose target a user can influence (``?next=``).

Only a path on this site passes. Browsers are forgiving in ways a naive check is not:
they drop tabs and newlines inside a URL (so ``/\\t/evil.example`` becomes
``//evil.example``), treat ``\\`` as ``/``, and read ``https:evil.example`` as a host.
Anything that is not plainly a same-site path is replaced by the fallback.
"""

from __future__ import annotations

import re
from typing import TypeGuard
from urllib.parse import unquote, urlsplit

# C0 controls, DEL and the C1 range: browsers strip or mangle them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_MAX_DECODES = 5


def is_safe_path(target: str | None) -> TypeGuard[str]:
    if not target or len(target) > 2048:
        return False
    # Decode until stable so an encoded form (%2F%2F, %5C, %09, double encoding) is
    # judged as what it becomes.
    forms = [target]
    for _ in range(_MAX_DECODES):
        decoded = unquote(forms[-1])
        if decoded == forms[-1]:
            break
        forms.append(decoded)
    for form in forms:
        if _CONTROL.search(form) or "\\" in form:
            return False
        if not form.startswith("/") or form.startswith("//"):
            return False
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_next(target: str | None, fallback: str) -> str:
    """``target`` if it is a path on this site, else ``fallback``."""
    return target if is_safe_path(target) else fallback
