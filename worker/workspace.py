"""Isolated working directories for runs, and the code revision of a Terraform tree."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

# Never copied into a run and never part of the code revision: local provider installs,
# state, plans and editor noise.
IGNORED_NAMES = {".terraform", "terraform.tfstate.d", ".git", "__pycache__"}
IGNORED_SUFFIXES = (".tfstate", ".tfstate.backup", ".tfplan", ".lock.info")


def _ignored(name: str) -> bool:
    return name in IGNORED_NAMES or name.endswith(IGNORED_SUFFIXES) or ".tfstate." in name


def copy_tree(source: Path, destination: Path) -> None:
    shutil.copytree(
        source,
        destination,
        ignore=lambda _d, names: {n for n in names if _ignored(n)},
        symlinks=False,
    )


def tree_digest(root: Path) -> str:
    """SHA-256 over every file's relative path and content: the code revision a plan is
    tied to (works without git, and covers uncommitted edits)."""
    digest = hashlib.sha256()
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not _ignored(d))
        for name in sorted(filenames):
            if _ignored(name):
                continue
            path = Path(directory, name)
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
