"""The tools behind the make targets, for people and CI working in a checkout: the local
portal and its stack (portal_run, local_stack, services, supervisor), the demo and the
whole-platform verification (demo, local_platform, verify), benchmarks (bench,
bench_portal), repository checks (checks, stress), the cost report (cost) and Terraform
from the checkout (terraform). The portal's runtime never imports them."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TERRAFORM_DIR = REPO_ROOT / "terraform"
ENVIRONMENTS_DIR = TERRAFORM_DIR / "environments"
CACHE_DIR = REPO_ROOT / ".cache"
