"""Drive Terraform for one environment root in an isolated data directory.

Used by ``make demo`` / ``make down``, the benchmark and the integration tests. The
configuration is read from ``terraform/environments/<name>``; provider installs
(``TF_DATA_DIR``) and state live in a separate work directory, so several runs
(tests, a demo, the portal) never share ``.terraform/`` or state.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tools import ENVIRONMENTS_DIR
from tools.terraform import terraform_env

# Exit codes of `terraform plan -detailed-exitcode`.
PLAN_NO_CHANGES, PLAN_ERROR, PLAN_HAS_CHANGES = 0, 1, 2


class TerraformFailed(RuntimeError):  # noqa: N818 - reads as what happened
    def __init__(self, command: list[str], returncode: int, tail: str):
        super().__init__(f"`{' '.join(command)}` exited with {returncode}. Last output:\n{tail}")
        self.returncode = returncode


@dataclass
class Timings:
    seconds: dict[str, float] = field(default_factory=dict)

    def record(self, step: str, started: float) -> None:
        self.seconds[step] = round(time.monotonic() - started, 1)


class EnvironmentRun:
    """Terraform commands against one environment root, isolated in ``workdir``."""

    def __init__(
        self,
        workdir: Path,
        variables: dict[str, str],
        environment: str = "local",
        log: IO[str] | None = None,
        echo: Callable[[str], None] | None = None,
        config_dir: Path | None = None,
    ):
        # Any root with a local backend works (terraform/bootstrap for make pipeline).
        self.config_dir = config_dir or ENVIRONMENTS_DIR / environment
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.state_path = self.workdir / "terraform.tfstate"
        self.log = log
        self.echo = echo
        self.timings = Timings()
        self.env = terraform_env()
        self.env["TF_DATA_DIR"] = str(self.workdir / ".terraform")
        for key, value in variables.items():
            self.env[f"TF_VAR_{key}"] = value

    def _run(
        self, step: str, *args: str, ok_codes: tuple[int, ...] = (0,)
    ) -> subprocess.CompletedProcess[str]:
        command = ["terraform", f"-chdir={self.config_dir}", *args]
        started = time.monotonic()
        process = subprocess.Popen(
            command,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        lines: list[str] = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if self.log:
                self.log.write(line)
                self.log.flush()
            if self.echo:
                self.echo(line.rstrip("\n"))
        returncode = process.wait()
        self.timings.record(step, started)
        output = "".join(lines)
        if returncode not in ok_codes:
            raise TerraformFailed(command, returncode, "".join(lines[-40:]))
        return subprocess.CompletedProcess(command, returncode, output, "")

    def init(self) -> None:
        self._run(
            "init",
            "init",
            "-input=false",
            "-no-color",
            f"-backend-config=path={self.state_path}",
        )

    def apply(self) -> None:
        self._run("apply", "apply", "-input=false", "-no-color", "-auto-approve")

    def plan_exit_code(self) -> tuple[int, str]:
        """Re-plan; returns (detailed exit code, output) — 0 means no changes."""
        result = self._run(
            "plan",
            "plan",
            "-input=false",
            "-no-color",
            "-detailed-exitcode",
            ok_codes=(PLAN_NO_CHANGES, PLAN_HAS_CHANGES),
        )
        return result.returncode, result.stdout

    def destroy(self, *targets: str) -> None:
        """Destroy everything, or only the given resource/module addresses."""
        flags = [f"-target={target}" for target in targets]
        self._run("destroy", "destroy", "-input=false", "-no-color", "-auto-approve", *flags)

    def outputs(self) -> dict[str, object]:
        """The root's outputs by name, with the members of its ``platform`` output
        (every output of the platform module) lifted to the top level."""
        result = subprocess.run(
            ["terraform", f"-chdir={self.config_dir}", "output", "-json"],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs = {name: item["value"] for name, item in json.loads(result.stdout).items()}
        return {**outputs.pop("platform", {}), **outputs}

    def resource_count(self) -> int:
        result = subprocess.run(
            ["terraform", f"-chdir={self.config_dir}", "state", "list"],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            return 0
        # Managed resources only: data sources have a "data." address segment.
        return sum(1 for line in result.stdout.splitlines() if line and ".data." not in f".{line}")


def print_step(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)
