"""A readable summary of a saved plan, from ``terraform show -json``.

Only names are kept (resource addresses, actions, attribute names), never values: the
summary is shown to every viewer, and values can be secrets.
"""

from __future__ import annotations

import re
from typing import Any

ACTION_ORDER = ("create", "replace", "update", "delete", "read", "no-op")


def _action(actions: list[str]) -> str:
    if actions in (["delete", "create"], ["create", "delete"]):
        return "replace"
    if len(actions) == 1:
        return actions[0]
    return "+".join(actions)


def _changed_attributes(change: dict[str, Any], action: str) -> list[str]:
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


def summarize(plan_json: dict[str, Any]) -> dict[str, Any]:
    resources = []
    counts = {"add": 0, "change": 0, "destroy": 0}
    for rc in plan_json.get("resource_changes", []):
        change = rc.get("change", {})
        action = _action(change.get("actions", ["no-op"]))
        if action in ("no-op", "read"):
            continue
        if action in ("create", "replace"):
            counts["add"] += 1
        if action in ("delete", "replace"):
            counts["destroy"] += 1
        if action == "update":
            counts["change"] += 1
        entry = {
            "address": rc.get("address", "?"),
            "type": rc.get("type", ""),
            "action": action,
            "changed": _changed_attributes(change, action),
        }
        if change.get("replace_paths"):
            entry["forces_replacement"] = sorted(
                {str(path[0]) for path in change["replace_paths"] if path}
            )
        resources.append(entry)
    resources.sort(
        key=lambda r: (
            ACTION_ORDER.index(r["action"]) if r["action"] in ACTION_ORDER else 9,
            r["address"],
        )
    )
    modules: dict[str, dict[str, int]] = {}
    for entry in resources:
        counts_for = modules.setdefault(
            module_of(entry["address"]), {"add": 0, "change": 0, "destroy": 0}
        )
        if entry["action"] in ("create", "replace"):
            counts_for["add"] += 1
        if entry["action"] in ("delete", "replace"):
            counts_for["destroy"] += 1
        if entry["action"] == "update":
            counts_for["change"] += 1
    outputs = [
        {"name": name, "action": _action(change.get("actions", ["no-op"]))}
        for name, change in sorted((plan_json.get("output_changes") or {}).items())
        if _action(change.get("actions", ["no-op"])) != "no-op"
    ]
    return {
        **counts,
        "resources": resources,
        "modules": dict(sorted(modules.items())),
        "outputs": outputs,
        "terraform_version": plan_json.get("terraform_version"),
        "errored": bool(plan_json.get("errored")),
    }


MODULE_STEP = re.compile(r'module\.[A-Za-z0-9_-]+(\[(?:"[^"]*"|[0-9]+)\])?\.')


def module_of(address: str) -> str:
    """``module.a.module.b["k"].aws_x.y`` -> ``module.a.module.b["k"]``; root -> ``(root)``."""
    end = 0
    while match := MODULE_STEP.match(address, end):
        end = match.end()
    return address[: end - 1] if end else "(root)"


def has_changes(summary: dict[str, Any]) -> bool:
    return bool(summary["resources"] or summary["outputs"])
