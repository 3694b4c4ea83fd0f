"""Run a CodeBuild buildspec (version 0.2) on this machine, as CodeBuild would.

The local executor (tools/pipeline.py) uses it for every CodeBuild action of the
pipeline. What it keeps of CodeBuild's semantics:

- ``env.variables`` (project and action variables override them, as in CodeBuild),
  ``env.shell`` (bash by default here), ``env.exported-variables``;
- phases in order install, pre_build, build, post_build; the commands of a build
  share one shell's state: the working directory and exported variables carry from
  command to command and from phase to phase (so a ``cd`` in one command affects the
  next: the buildspecs never rely on that, see buildspec.yml);
- a failing command fails its phase; a failed install or pre_build skips the rest,
  post_build still runs after a failed build with CODEBUILD_BUILD_SUCCEEDING=0;
  ``finally`` blocks always run;
- ``artifacts`` files (globs, ``base-directory``, ``discard-paths``) zipped.

What it replaces, visibly: install commands that download tools from the internet
(``LOCAL_TOOLCHAIN``) run the local equivalent, printed as such.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tools import REPO_ROOT

PHASES = ("install", "pre_build", "build", "post_build")
STATE_MARKER = "__buildspec_state__"


class BuildspecError(ValueError):
    """The buildspec is not something CodeBuild would run."""


def _link_local_venv(source_dir: Path) -> str:
    venv = source_dir / ".venv"
    if not venv.exists():
        venv.symlink_to(REPO_ROOT / ".venv", target_is_directory=True)
    checkov = source_dir / ".cache" / "checkov-venv"
    if (REPO_ROOT / ".cache" / "checkov-venv").is_dir() and not checkov.exists():
        checkov.parent.mkdir(parents=True, exist_ok=True)
        checkov.symlink_to(REPO_ROOT / ".cache" / "checkov-venv", target_is_directory=True)
    return f"linked the checkout's virtualenv ({REPO_ROOT / '.venv'}) instead of `make venv`"


def _local_terraform(source_dir: Path) -> str:
    version = subprocess.run(
        ["terraform", "version"], check=True, capture_output=True, text=True
    ).stdout.splitlines()[0]
    return (
        f"using this machine's {version} ({shutil.which('terraform')}) instead of "
        "downloading and verifying TERRAFORM_VERSION"
    )


# Install commands that need the internet -> what runs here instead.
LOCAL_TOOLCHAIN: dict[str, Callable[[Path], str]] = {
    "bash buildspecs/install-terraform.sh": _local_terraform,
    "make venv": _link_local_venv,
}


@dataclass
class BuildResult:
    succeeded: bool
    phases: dict[str, str] = field(default_factory=dict)  # phase -> SUCCEEDED/FAILED/SKIPPED
    exported: dict[str, str] = field(default_factory=dict)
    failure: str = ""


def load(path: Path) -> dict[str, Any]:
    spec = yaml.safe_load(path.read_text())
    if not isinstance(spec, dict) or str(spec.get("version")) != "0.2":
        raise BuildspecError(f"{path}: only buildspec version 0.2 is supported")
    unknown = set(spec.get("phases", {})) - set(PHASES)
    if unknown:
        raise BuildspecError(f"{path}: unknown phases {sorted(unknown)}")
    return spec


def _phase_commands(phase: dict[str, Any] | None) -> tuple[list[str], list[str], str]:
    if not phase:
        return [], [], "ABORT"
    return (
        [str(command) for command in phase.get("commands") or []],
        [str(command) for command in phase.get("finally") or []],
        str(phase.get("on-failure", "ABORT")),
    )


class Shell:
    """A build's shell state: working directory and exported variables."""

    def __init__(self, cwd: Path, env: dict[str, str], shell: str, echo: Callable[[str], None]):
        self.cwd = cwd
        self.env = env
        self.shell = shell
        self.echo = echo

    def run(self, command: str) -> int:
        # Each command runs in a shell started with the state the previous one left;
        # the state after it is read back from a marker line at the end.
        script = (
            f'{command}\n__status=$?\nprintf "\\n{STATE_MARKER} %s\\n" "$__status"; pwd; env -0\n'
        )
        process = subprocess.Popen(  # noqa: S603 - the buildspec's own commands
            [self.shell, "-c", script],
            cwd=self.cwd,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        assert process.stdout is not None
        marker = f"{STATE_MARKER} ".encode()
        status_line = b""
        for line in process.stdout:  # streamed: a long apply shows as it goes
            if line.startswith(marker):
                status_line = line[len(marker) :]
                break
            self.echo(line.decode(errors="replace").rstrip("\n"))
        rest = process.stdout.read()
        process.wait()
        if not status_line:
            return process.returncode or 1
        cwd_line, _, environ = rest.partition(b"\n")
        self.cwd = Path(cwd_line.decode())
        self.env = dict(
            item.split("=", 1)
            for item in environ.decode(errors="replace").split("\0")
            if "=" in item
        )
        return int(status_line)


def run(
    spec_path: Path,
    source_dir: Path,
    variables: dict[str, str],
    echo: Callable[[str], None],
) -> BuildResult:
    """Run the buildspec in ``source_dir`` with ``variables`` (project + action + CodeBuild)."""
    spec = load(spec_path)
    env_section = spec.get("env") or {}
    env = {**{k: str(v) for k, v in (env_section.get("variables") or {}).items()}, **variables}
    shell = Shell(source_dir, env, env_section.get("shell", "bash"), echo)
    result = BuildResult(succeeded=True)
    phases = spec.get("phases") or {}
    for name in PHASES:
        commands, finally_commands, on_failure = _phase_commands(phases.get(name))
        if not result.succeeded and name != "post_build":
            result.phases[name] = "SKIPPED"
            continue
        if not commands and not finally_commands:
            continue
        shell.env["CODEBUILD_BUILD_SUCCEEDING"] = "1" if result.succeeded else "0"
        echo(f"[phase {name}]")
        phase_ok = True
        for command in commands:
            replacement = LOCAL_TOOLCHAIN.get(command.strip()) if name == "install" else None
            if replacement:
                echo(f"$ {command}")
                echo(f"  local toolchain: {replacement(source_dir)}")
                continue
            echo(f"$ {command}")
            status = shell.run(command)
            if status != 0:
                phase_ok = False
                result.failure = f"phase {name}: `{command}` exited with {status}"
                break
        for command in finally_commands:
            echo(f"$ {command}  (finally)")
            shell.run(command)
        result.phases[name] = "SUCCEEDED" if phase_ok else "FAILED"
        if not phase_ok and on_failure == "ABORT":
            result.succeeded = False
    for variable in env_section.get("exported-variables") or []:
        if variable in shell.env:
            result.exported[variable] = shell.env[variable]
    return result


def package_artifacts(spec_path: Path, source_dir: Path, destination: Path) -> int:
    """Zip the buildspec's ``artifacts`` into ``destination``; returns the file count."""
    section = load(spec_path).get("artifacts") or {}
    base = source_dir / section.get("base-directory", ".")
    discard = bool(section.get("discard-paths", False))
    files: set[Path] = set()
    for pattern in section.get("files") or []:
        files.update(path for path in base.glob(str(pattern)) if path.is_file())
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            archive.write(path, path.name if discard else path.relative_to(base).as_posix())
    return len(files)


def child_environment(extra: dict[str, str]) -> dict[str, str]:
    """A build environment like CodeBuild's: a clean PATH and HOME, plus ``extra``."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TF_CLI_CONFIG_FILE")
    return {**{key: os.environ[key] for key in keep if key in os.environ}, **extra}
