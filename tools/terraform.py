"""Terraform for the tools (make targets, tests): the portal's CLI configuration
(portal.terraform_cli) with this checkout's cache directory.

``python -m tools.terraform env`` prints shell ``export`` lines (the Makefile
evaluates them); ``python -m tools.terraform check`` fails with one clear message
when ``terraform`` is missing or too old.
"""

from __future__ import annotations

import sys

from portal import terraform_cli
from portal.terraform_cli import MINIMUM_VERSION, TerraformNotUsable, parse_version
from tools import CACHE_DIR

__all__ = [
    "MINIMUM_VERSION",
    "TerraformNotUsable",
    "check_terraform",
    "parse_version",
    "terraform_env",
]


def terraform_env(base: dict[str, str] | None = None) -> dict[str, str]:
    return terraform_cli.terraform_env(base, CACHE_DIR)


def check_terraform(binary: str = "terraform") -> tuple[int, int, int]:
    return terraform_cli.check_terraform(binary, CACHE_DIR)


def _main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "env"
    try:
        if command == "env":
            env = terraform_env({})
            for key in ("TF_CLI_CONFIG_FILE", "CHECKPOINT_DISABLE", "AWS_EC2_METADATA_DISABLED"):
                print(f"export {key}={env[key]}")
            return 0
        if command == "check":
            print("terraform {}.{}.{}".format(*check_terraform()))
            return 0
    except TerraformNotUsable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print("usage: python -m tools.terraform [env|check]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
