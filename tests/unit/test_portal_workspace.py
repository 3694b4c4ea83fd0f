"""Run isolation: what is copied into a run and the code revision a plan is tied to."""

from __future__ import annotations

from pathlib import Path

from worker.workspace import copy_tree, tree_digest


def make_tree(root: Path) -> Path:
    (root / "environments" / "local").mkdir(parents=True)
    (root / "modules" / "net").mkdir(parents=True)
    (root / "environments" / "local" / "main.tf").write_text('module "net" {}\n')
    (root / "modules" / "net" / "main.tf").write_text("# module\n")
    (root / "environments" / "local" / ".terraform").mkdir()
    (root / "environments" / "local" / ".terraform" / "junk").write_text("provider")
    (root / "environments" / "local" / "terraform.tfstate").write_text("{}")
    return root


def test_copy_leaves_out_state_and_provider_installs(tmp_path: Path) -> None:
    source = make_tree(tmp_path / "src")
    copy_tree(source, tmp_path / "run")
    copied = {
        p.relative_to(tmp_path / "run").as_posix()
        for p in (tmp_path / "run").rglob("*")
        if p.is_file()
    }
    assert copied == {"environments/local/main.tf", "modules/net/main.tf"}


def test_revision_is_stable_and_ignores_state_but_not_code(tmp_path: Path) -> None:
    source = make_tree(tmp_path / "src")
    first = tree_digest(source)
    (source / "environments" / "local" / "terraform.tfstate").write_text('{"serial": 9}')
    assert tree_digest(source) == first
    copy_tree(source, tmp_path / "run")
    assert tree_digest(tmp_path / "run") == first
    (source / "modules" / "net" / "main.tf").write_text("# changed\n")
    assert tree_digest(source) != first
