"""A readable review of a saved plan, from ``terraform show -json``.

Per resource: the action, the attributes that change with their values before and
after, ``(known after apply)`` for values Terraform cannot know yet, and the attribute
that forces a replacement. Values that Terraform marks sensitive (``before_sensitive`` /
``after_sensitive``, its own markers) are replaced by ``(sensitive value)`` here, before
the summary is stored: a masked value never reaches the database, a page or the API.
"""

from __future__ import annotations

import json
import re
from typing import Any

ACTION_ORDER = ("create", "replace", "update", "delete", "read", "no-op")
SENSITIVE = "(sensitive value)"
UNKNOWN = "(known after apply)"
# Enough for a policy document; the full plan text has the rest.
MAX_VALUE_CHARS = 4000
MAX_ATTRIBUTES = 400


def _action(actions: list[str]) -> str:
    if actions in (["delete", "create"], ["create", "delete"]):
        return "replace"
    if len(actions) == 1:
        return actions[0]
    return "+".join(actions)


def _changed_attributes(change: dict[str, Any], action: str) -> list[str]:
    """Top-level attribute names that change (for filters and the API)."""
    before = change.get("before") or {}
    after = change.get("after") or {}
    unknown = change.get("after_unknown") or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    if action == "delete":
        return []
    if action == "create":
        names = {k for k, v in after.items() if v not in (None, [], {})}
    else:
        names = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    if isinstance(unknown, dict):
        names |= {k for k, v in unknown.items() if v}
    return sorted(names)


def _item(container: Any, key: str | int, default: Any = None) -> Any:
    """``container[key]`` for a dict key or list index, ``default`` when absent."""
    if isinstance(container, dict) and isinstance(key, str):
        return container.get(key, default)
    if isinstance(container, list) and isinstance(key, int) and key < len(container):
        return container[key]
    return default


def _child(marker: Any, key: str | int) -> Any:
    """The sensitivity/unknown marker of one child of a container (True covers all)."""
    return True if marker is True else _item(marker, key, False)


def _path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", key):
        return f"{parent}.{key}" if parent else key
    return f"{parent}[{json.dumps(key)}]"


def _display(value: Any) -> str | None:
    if value is None:
        return None
    # Strings as Terraform prints them (quoted, not escaped), so a policy stays readable.
    text = f'"{value}"' if isinstance(value, str) else json.dumps(value, sort_keys=True)
    if len(text) > MAX_VALUE_CHARS:
        text = f"{text[:MAX_VALUE_CHARS]}… ({len(text) - MAX_VALUE_CHARS} more characters)"
    return text


def _is_container(value: Any) -> bool:
    return isinstance(value, dict | list)


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def _walk(
    path: str,
    before: Any,
    after: Any,
    before_sensitive: Any,
    after_sensitive: Any,
    unknown: Any,
    out: list[dict[str, Any]],
) -> None:
    if before_sensitive is True or after_sensitive is True:
        if before == after and unknown is not True:
            return
        out.append(
            {
                "path": path,
                "before": SENSITIVE if before is not None else None,
                "after": UNKNOWN if unknown is True else (SENSITIVE if after is not None else None),
                "sensitive": True,
            }
        )
        return
    if unknown is True:
        out.append({"path": path, "before": _display(before), "after": UNKNOWN})
        return
    containers = (before is None or _is_container(before)) and (
        after is None or _is_container(after)
    )
    if before is None and after is None and isinstance(unknown, dict | list):
        after = {} if isinstance(unknown, dict) else []
    same_kind = not (isinstance(before, dict) and isinstance(after, list)) and not (
        isinstance(before, list) and isinstance(after, dict)
    )
    if containers and same_kind and (_is_container(before) or _is_container(after)):
        if isinstance(before, dict) or isinstance(after, dict):
            # Terraform leaves unknown attributes out of "after": take them from the marker.
            marked = set(unknown) if isinstance(unknown, dict) else set()
            keys: list[str | int] = sorted(set(before or {}) | set(after or {}) | marked)
        else:
            keys = list(range(max(len(before or []), len(after or []))))
        for key in keys:
            _walk(
                _path(path, key),
                _item(before, key),
                _item(after, key),
                _child(before_sensitive, key),
                _child(after_sensitive, key),
                _child(unknown, key),
                out,
            )
        # A container that appears or disappears empty still is a change worth a line.
        if not keys and before != after and not (_empty(before) and _empty(after)):
            out.append({"path": path, "before": _display(before), "after": _display(after)})
        return
    if before == after:
        return
    out.append({"path": path, "before": _display(before), "after": _display(after)})


def attribute_changes(change: dict[str, Any], action: str) -> list[dict[str, Any]]:
    """Leaf attributes with before -> after values, sensitive ones masked.

    A create lists its known values (nulls and empty blocks left out) and what is known
    only after apply; an update or replace lists what differs; a delete lists nothing.
    """
    if action == "delete":
        return []
    out: list[dict[str, Any]] = []
    before = None if action == "create" else change.get("before")
    _walk(
        "",
        before,
        change.get("after"),
        change.get("before_sensitive", False),
        change.get("after_sensitive", False),
        change.get("after_unknown", False),
        out,
    )
    if action == "create":
        out = [a for a in out if a["after"] not in (None, "[]", "{}")]
    if len(out) > MAX_ATTRIBUTES:
        hidden = len(out) - MAX_ATTRIBUTES
        out = out[:MAX_ATTRIBUTES] + [
            {
                "path": f"… {hidden} more attributes (see the full plan text)",
                "before": None,
                "after": None,
            }
        ]
    return out


def _path_text(path: list[Any]) -> str:
    text = ""
    for key in path:
        text = _path(text, key)
    return text


def _counts(action: str, counts: dict[str, int]) -> None:
    if action in ("create", "replace"):
        counts["add"] += 1
    if action in ("delete", "replace"):
        counts["destroy"] += 1
    if action == "update":
        counts["change"] += 1


def summarize(plan_json: dict[str, Any]) -> dict[str, Any]:
    resources = []
    counts = {"add": 0, "change": 0, "destroy": 0}
    for rc in plan_json.get("resource_changes", []):
        change = rc.get("change", {})
        action = _action(change.get("actions", ["no-op"]))
        if action in ("no-op", "read"):
            continue
        _counts(action, counts)
        address = rc.get("address", "?")
        entry: dict[str, Any] = {
            "address": address,
            "type": rc.get("type", ""),
            "module": module_of(address),
            "action": action,
            "changed": _changed_attributes(change, action),
            "attributes": attribute_changes(change, action),
        }
        if change.get("replace_paths"):
            entry["forces_replacement"] = sorted(
                {_path_text(path) for path in change["replace_paths"] if path}
            )
        if rc.get("action_reason"):
            entry["reason"] = str(rc["action_reason"]).replace("_", " ")
        resources.append(entry)
    resources.sort(
        key=lambda r: (
            ACTION_ORDER.index(r["action"]) if r["action"] in ACTION_ORDER else 9,
            r["address"],
        )
    )
    modules: dict[str, dict[str, int]] = {}
    for entry in resources:
        _counts(entry["action"], modules.setdefault(entry["module"], dict.fromkeys(counts, 0)))
    outputs = []
    for name, change in sorted((plan_json.get("output_changes") or {}).items()):
        action = _action(change.get("actions", ["no-op"]))
        if action == "no-op":
            continue
        values = attribute_changes(change, action)
        outputs.append(
            {
                "name": name,
                "action": action,
                "before": values[0]["before"] if values else None,
                "after": values[0]["after"] if values else None,
            }
            if all(v["path"] == "" for v in values)
            else {"name": name, "action": action, "attributes": values}
        )
    return {
        **counts,
        "resources": resources,
        "modules": dict(sorted(modules.items())),
        "actions": sorted({r["action"] for r in resources}, key=_action_rank),
        "outputs": outputs,
        "terraform_version": plan_json.get("terraform_version"),
        "errored": bool(plan_json.get("errored")),
    }


def _action_rank(action: str) -> int:
    return ACTION_ORDER.index(action) if action in ACTION_ORDER else 9


MODULE_STEP = re.compile(r'module\.[A-Za-z0-9_-]+(\[(?:"[^"]*"|[0-9]+)\])?\.')


def module_of(address: str) -> str:
    """``module.a.module.b["k"].aws_x.y`` -> ``module.a.module.b["k"]``; root -> ``(root)``."""
    end = 0
    while match := MODULE_STEP.match(address, end):
        end = match.end()
    return address[: end - 1] if end else "(root)"


def has_changes(summary: dict[str, Any]) -> bool:
    return bool(summary["resources"] or summary["outputs"])
