"""What the worker keeps of an environment after an apply, from Terraform's own JSON:
the outputs with sensitive values masked, and the addresses of the resources in state
(never their attribute values, which may be sensitive)."""

from __future__ import annotations

import json
from typing import Any


def masked_outputs(outputs: Any, secret_values: list[str]) -> dict[str, dict[str, object]]:
    """``terraform output -json`` with the value of every sensitive output (and of any
    output that holds one of the environment's secret settings) replaced by None."""
    masked: dict[str, dict[str, object]] = {}
    for name, output in (outputs or {}).items():
        value = output.get("value")
        hidden = bool(output.get("sensitive")) or any(
            secret in json.dumps(value) for secret in secret_values
        )
        masked[name] = {
            "sensitive": hidden,
            "type": output.get("type"),
            "value": None if hidden else value,
        }
    return masked


def state_resources(state: Any) -> list[dict[str, str]]:
    """Address, type and module of every resource in ``terraform show -json`` of the
    state; attribute values (which may be sensitive) are left behind."""
    found: list[dict[str, str]] = []

    def walk(module: dict) -> None:
        for resource in module.get("resources", []):
            found.append(
                {
                    "address": resource["address"],
                    "mode": resource.get("mode", "managed"),
                    "type": resource.get("type", ""),
                    "module": module.get("address", ""),
                }
            )
        for child in module.get("child_modules", []):
            walk(child)

    walk((state or {}).get("values", {}).get("root_module", {}))
    return sorted(found, key=lambda item: item["address"])
