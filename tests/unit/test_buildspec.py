"""The local buildspec runner keeps CodeBuild's semantics; our buildspecs are sound."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml

from tools import REPO_ROOT
from tools import buildspec as runner

BUILDSPECS = [
    REPO_ROOT / "buildspec.yml",
    *sorted((REPO_ROOT / "buildspecs").glob("*.yml")),
    *sorted((REPO_ROOT / "tests" / "fixtures" / "pipeline").glob("*.yml")),
]


def _spec(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "buildspec.yml"
    path.write_text(text)
    return path


def _run(tmp_path: Path, text: str, variables: dict[str, str] | None = None):
    lines: list[str] = []
    source = tmp_path / "src"
    source.mkdir(exist_ok=True)
    result = runner.run(
        _spec(tmp_path, text),
        source,
        runner.child_environment(variables or {}),
        lines.append,
    )
    return result, lines


def test_commands_share_directory_and_variables_across_commands_and_phases(tmp_path):
    result, lines = _run(
        tmp_path,
        """
version: 0.2
env:
  variables:
    GREETING: hello
  exported-variables: [RESULT]
phases:
  install:
    commands:
      - mkdir -p sub && cd sub
      - export FROM_INSTALL=yes
  build:
    commands:
      - echo "cwd=$(basename "$PWD") from_install=$FROM_INSTALL greeting=$GREETING"
      - export RESULT="done in $(basename "$PWD")"
""",
        {"GREETING": "overridden"},
    )
    assert result.succeeded, lines
    assert "cwd=sub from_install=yes greeting=overridden" in lines
    assert result.exported == {"RESULT": "done in sub"}


def test_a_failing_install_skips_the_build_but_post_build_still_runs(tmp_path):
    result, lines = _run(
        tmp_path,
        """
version: 0.2
phases:
  install:
    commands:
      - "false"
      - echo never
    finally:
      - echo install-finally
  build:
    commands:
      - echo build-ran
  post_build:
    commands:
      - echo "succeeding=$CODEBUILD_BUILD_SUCCEEDING"
""",
    )
    assert not result.succeeded
    assert result.phases == {
        "install": "FAILED",
        "pre_build": "SKIPPED",
        "build": "SKIPPED",
        "post_build": "SUCCEEDED",
    }
    assert "never" not in lines and "build-ran" not in lines
    assert "install-finally" in lines and "succeeding=0" in lines
    assert "`false` exited with 1" in result.failure


def test_internet_installs_are_replaced_visibly(tmp_path):
    result, lines = _run(
        tmp_path,
        """
version: 0.2
phases:
  install:
    commands:
      - bash buildspecs/install-terraform.sh
  build:
    commands:
      - terraform version
""",
    )
    assert result.succeeded, lines
    assert any("local toolchain: using this machine's Terraform" in line for line in lines)


def test_artifacts_are_zipped_from_the_base_directory(tmp_path):
    spec = _spec(
        tmp_path,
        """
version: 0.2
phases:
  build:
    commands:
      - "true"
artifacts:
  base-directory: out
  files:
    - "**/*"
""",
    )
    source = tmp_path / "src"
    (source / "out" / "nested").mkdir(parents=True)
    (source / "out" / "tfplan").write_text("plan")
    (source / "out" / "nested" / "a.txt").write_text("a")
    archive = tmp_path / "artifact.zip"
    assert runner.package_artifacts(spec, source, archive) == 2
    assert sorted(zipfile.ZipFile(archive).namelist()) == ["nested/a.txt", "tfplan"]


def test_only_version_0_2_is_run(tmp_path):
    with pytest.raises(runner.BuildspecError, match="version 0.2"):
        runner.load(_spec(tmp_path, "version: 0.1\nphases: {}\n"))


@pytest.mark.parametrize("path", BUILDSPECS, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_our_buildspecs_are_valid_and_call_only_existing_make_targets(path):
    spec = runner.load(path)
    targets = set(re.findall(r"^([a-zA-Z0-9_-]+):", (REPO_ROOT / "Makefile").read_text(), re.M))
    commands = [
        str(command)
        for phase in spec["phases"].values()
        for command in (phase.get("commands") or []) + (phase.get("finally") or [])
    ]
    called = {
        target
        for command in commands
        for target in re.findall(r"\bmake ((?:[a-z0-9-]+ ?)+)", command)
        for target in target.split()
    }
    assert called <= targets, (
        f"{path.name} calls make targets that do not exist: {called - targets}"
    )
    for command in commands:
        if command.startswith("bash "):
            assert (REPO_ROOT / command.split()[1]).is_file(), command
    assert yaml.safe_load(path.read_text())["version"] == 0.2


def test_install_verifies_the_signature_before_the_checksum():
    script = (REPO_ROOT / "buildspecs" / "install-terraform.sh").read_text()
    assert script.index("gpg --batch --quiet --verify") < script.index("sha256sum -c")
    assert "C874011F0AB405110D02105534365D9472D7468F" in script
