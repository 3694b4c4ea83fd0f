"""The one redirect rule, against the classic open-redirect bypasses."""

from __future__ import annotations

import pytest

from app.redirects import is_safe_path, safe_next

BYPASSES = [
    "//evil.example",
    "/\t/evil.example",  # browsers drop the tab: //evil.example
    "%2F%09%2Fevil.example",
    "/%09/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\\evil.example",  # browsers read \ as /
    "\\\\evil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%2F/evil.example",
    "%2F%2Fevil.example",
    "/%252F%252Fevil.example",  # double encoded
    "https://evil.example",
    "https:evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "evil.example",
    "./evil",
    "",
    None,
    "/\x00/evil.example",
    "/\x7f/evil.example",
    "/" + "a" * 3000,
]


@pytest.mark.parametrize("target", BYPASSES)
def test_bypasses_fall_back(target: str | None) -> None:
    assert not is_safe_path(target)
    assert safe_next(target, "/home") == "/home"


@pytest.mark.parametrize(
    "target", ["/", "/runs/3", "/runs/3?x=1#log", "/runs?environment=dev&state=applied", "/a%20b"]
)
def test_same_site_paths_pass_unchanged(target: str) -> None:
    assert safe_next(target, "/home") == target
