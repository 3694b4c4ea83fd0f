"""Run Terraform offline-capable: CLI config with an optional provider mirror.

Terraform's CLI configuration cannot read environment variables, so the file is
written at run time: it uses a filesystem mirror of the AWS provider when one exists
(``$TF_PLUGIN_MIRROR``, else ``/opt/tf-plugins``) and the public registry otherwise.
Used by the worker for every run, and by the tools (tools.terraform).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

MINIMUM_VERSION = (1, 11, 0)
DEFAULT_MIRROR = Path("/opt/tf-plugins")
MIRRORED_PROVIDERS = ("registry.terraform.io/hashicorp/aws",)


class TerraformNotUsable(RuntimeError):
    """terraform is missing or too old; the message says what to install."""


def provider_mirror() -> Path | None:
    """The provider mirror to use, or None to install from the public registry."""
    configured = os.environ.get("TF_PLUGIN_MIRROR")
    if configured:
        path = Path(configured)
        if not path.is_dir():
            raise TerraformNotUsable(
                f"TF_PLUGIN_MIRROR={configured} is not a directory. Point it at a provider "
                "mirror (terraform providers mirror DIR) or unset it to use the registry."
            )
        return path
    return DEFAULT_MIRROR if DEFAULT_MIRROR.is_dir() else None


def cli_config_text(mirror: Path | None, plugin_cache: Path) -> str:
    lines = [
        "# Written by portal.terraform_cli; do not edit, it is regenerated.",
        f'plugin_cache_dir = "{plugin_cache}"',
        "plugin_cache_may_break_dependency_lock_file = false",
    ]
    if mirror is not None:
        includes = ", ".join(f'"{p}"' for p in MIRRORED_PROVIDERS)
        lines += [
            "provider_installation {",
            "  filesystem_mirror {",
            f'    path    = "{mirror}"',
            f"    include = [{includes}]",
            "  }",
            "  direct {",
            f"    exclude = [{includes}]",
            "  }",
            "}",
        ]
    return "\n".join(lines) + "\n"


def terraform_env(base: dict[str, str] | None, cache_dir: Path) -> dict[str, str]:
    """Environment for running terraform offline-capable; writes the CLI config (and
    keeps the provider plugin cache) in ``cache_dir``."""
    env = dict(os.environ if base is None else base)
    plugin_cache = cache_dir / "terraform-plugin-cache"
    plugin_cache.mkdir(parents=True, exist_ok=True)
    config = cache_dir / "terraformrc"
    text = cli_config_text(provider_mirror(), plugin_cache)
    if not config.exists() or config.read_text() != text:
        config.write_text(text)
    env.update(
        TF_CLI_CONFIG_FILE=str(config),
        CHECKPOINT_DISABLE="1",
        AWS_EC2_METADATA_DISABLED="true",
        TF_IN_AUTOMATION="1",
    )
    return env


def parse_version(text: str) -> tuple[int, int, int]:
    match = re.search(r"(\d+)\.(\d+)\.(\d+)", text)
    if not match:
        raise TerraformNotUsable(f"could not read a version from {text!r}")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def check_terraform(binary: str, cache_dir: Path) -> tuple[int, int, int]:
    """The installed Terraform version; raises TerraformNotUsable with advice."""
    advice = (
        "Install Terraform >= {}.{} from https://developer.hashicorp.com/terraform/install "
        "(or put it on PATH) and run the command again."
    ).format(*MINIMUM_VERSION)
    path = shutil.which(binary)
    if path is None:
        raise TerraformNotUsable(f"terraform was not found on PATH. {advice}")
    result = subprocess.run(
        [path, "version", "-json"],
        capture_output=True,
        text=True,
        env=terraform_env(None, cache_dir),
        check=False,
    )
    try:
        version = parse_version(json.loads(result.stdout)["terraform_version"])
    except (ValueError, KeyError):
        version = parse_version(result.stdout or result.stderr)
    if version < MINIMUM_VERSION:
        found = ".".join(map(str, version))
        raise TerraformNotUsable(f"terraform {found} at {path} is too old. {advice}")
    return version
