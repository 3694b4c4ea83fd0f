"""Action-level evaluation of IAM policy documents.

Answers two questions about a set of identity policy documents, by *action only*:

* :func:`allows`: would some ``Allow`` statement match the action (``Action`` or
  ``NotAction``, with IAM's ``*``/``?`` wildcards, case-insensitively), and no
  unconditional ``Deny`` statement match it?
* :func:`granted_services` / :func:`granted_actions`: which service prefixes and action
  patterns do the documents' ``Allow`` statements grant?

Out of scope on purpose: ``Resource``/``NotResource`` and ``Condition`` are not
evaluated (a statement that allows ``ec2:RunInstances`` only on tagged resources counts
as allowing ``ec2:RunInstances``), and a ``Deny`` with a condition is ignored, since
whether it applies depends on the request. The recorded-action test uses this to find
actions Terraform calls that no statement names at all; that each grant is scoped to
the platform's resources is what terraform/modules/deployer's own tests check. Only
AWS (or its policy simulator) evaluates the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

Document = Mapping[str, Any]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def parse(document: str | Document) -> Document:
    """A policy document from its JSON text, or the mapping itself."""
    return json.loads(document) if isinstance(document, str) else document


def statements(document: str | Document) -> list[Mapping[str, Any]]:
    """The document's statements (a single statement object counts as a list of one)."""
    return [s for s in _as_list(parse(document).get("Statement")) if isinstance(s, Mapping)]


@cache
def _pattern(action_pattern: str) -> re.Pattern[str]:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in action_pattern)
    return re.compile(f"^{regex}$", re.IGNORECASE)


def action_matches(pattern: str, action: str) -> bool:
    """Whether the IAM action pattern (``ec2:Describe*``, ``*``) matches ``action``."""
    return bool(_pattern(pattern).match(action))


def statement_matches(statement: Mapping[str, Any], action: str) -> bool:
    """Whether the statement's Action (or NotAction) covers ``action``."""
    if "NotAction" in statement:
        return not any(action_matches(p, action) for p in _as_list(statement["NotAction"]))
    return any(action_matches(p, action) for p in _as_list(statement.get("Action")))


def allows(documents: Iterable[str | Document], action: str) -> bool:
    """Whether the documents allow ``action`` at the action level (module docstring)."""
    allowed = False
    for document in documents:
        for statement in statements(document):
            if not statement_matches(statement, action):
                continue
            effect = statement.get("Effect")
            if effect == "Deny" and not statement.get("Condition"):
                return False
            if effect == "Allow":
                allowed = True
    return allowed


def granted_actions(documents: Iterable[str | Document]) -> set[str]:
    """The action patterns the documents' Allow statements name (``NotAction`` => ``*``)."""
    granted: set[str] = set()
    for document in documents:
        for statement in statements(document):
            if statement.get("Effect") != "Allow":
                continue
            if "NotAction" in statement:
                granted.add("*")
            else:
                granted.update(str(a) for a in _as_list(statement.get("Action")))
    return granted


def service_of(action: str) -> str:
    """The service prefix of an action or pattern (``ec2:Describe*`` => ``ec2``)."""
    return action.split(":", 1)[0].lower()


def granted_services(documents: Iterable[str | Document]) -> set[str]:
    """The service prefixes the documents grant actions of (``*`` if any grants all)."""
    return {service_of(a) for a in granted_actions(documents)}


def unused_grants(documents: Iterable[str | Document], used_actions: Iterable[str]) -> set[str]:
    """Granted action patterns that match none of ``used_actions``."""
    used = list(used_actions)
    return {
        pattern
        for pattern in granted_actions(documents)
        if not any(action_matches(pattern, action) for action in used)
    }
