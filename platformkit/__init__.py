"""Tooling for the e-commerce platform: offline Terraform and the local AWS emulator."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TERRAFORM_DIR = REPO_ROOT / "terraform"
ENVIRONMENTS_DIR = TERRAFORM_DIR / "environments"
CACHE_DIR = REPO_ROOT / ".cache"
