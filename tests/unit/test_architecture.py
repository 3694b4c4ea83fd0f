"""The layers import one way: the web app (``app``) and the worker (``worker``) use the
run domain (``portal``); the domain uses neither, nor the web framework; the worker never
uses the web app; and the domain's modules import each other without cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tools import REPO_ROOT

WEB_FRAMEWORK = ("flask", "flask_login", "flask_wtf", "werkzeug", "wtforms", "jinja2")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth (function-level imports count too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def package_modules(package: str) -> dict[str, set[str]]:
    return {
        module_name(path): imports_of(path) for path in sorted((REPO_ROOT / package).rglob("*.py"))
    }


def top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("package", ["portal", "worker", "app"])
def test_package_has_modules(package: str) -> None:
    assert package_modules(package), f"{package}/ has no modules"


def test_the_domain_imports_neither_the_web_app_nor_the_worker_nor_flask() -> None:
    wrong = {
        (module, name)
        for module, names in package_modules("portal").items()
        for name in names
        # The tools and the emulator are for checkouts and tests, never the runtime.
        if top(name) in {"app", "worker", "tools", "emulator", *WEB_FRAMEWORK}
    }
    assert not wrong, f"the domain must stay below the web app and the worker: {sorted(wrong)}"


def test_the_worker_never_imports_the_web_app_or_the_tools() -> None:
    wrong = {
        (module, name)
        for module, names in package_modules("worker").items()
        for name in names
        if top(name) in {"app", "tools", "emulator", *WEB_FRAMEWORK}
    }
    assert not wrong, f"the worker uses the domain, never the web app: {sorted(wrong)}"


def test_the_web_app_never_imports_the_worker_or_the_tools() -> None:
    wrong = {
        (module, name)
        for module, names in package_modules("app").items()
        for name in names
        if top(name) in {"worker", "tools", "emulator"}
    }
    assert not wrong, f"the web app queues tasks by name (portal.messaging): {sorted(wrong)}"


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle in ``graph`` (module -> modules it imports), or None."""
    state: dict[str, str] = {}

    def visit(module: str, trail: list[str]) -> list[str] | None:
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                return trail[trail.index(target) :] + [target]
            if target not in state:
                found = visit(target, [*trail, target])
                if found:
                    return found
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            found = visit(module, [module])
            if found:
                return found
    return None


def test_the_domain_has_no_import_cycles() -> None:
    modules = package_modules("portal")
    graph = {
        # A package importing its own modules (to re-export them) is not a cycle.
        module: {
            n for n in names if n in modules and n != module and not n.startswith(module + ".")
        }
        for module, names in modules.items()
    }
    cycle = find_cycle(graph)
    assert cycle is None, f"import cycle in the domain: {' -> '.join(cycle or [])}"


def test_the_checks_would_see_a_violation() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None
    # Imports inside functions count: app/__init__.py imports its blueprints in the factory.
    assert "app.views" in imports_of(REPO_ROOT / "app" / "__init__.py")
