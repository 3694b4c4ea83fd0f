"""docker-compose.yml describes the same services as `make run` and is valid."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from tools import REPO_ROOT

pytestmark = pytest.mark.portal
COMPOSE = REPO_ROOT / "docker-compose.yml"


def test_compose_file_is_valid() -> None:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.fail("docker-compose is not installed: apt-get install -y docker-compose")
    result = subprocess.run(
        [binary, "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr


def test_compose_runs_the_portal_worker_broker_database_and_emulator() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    assert {"web", "worker", "redis", "postgres", "emulator", "migrate"} <= set(services)
    # Only the web port is published, and only on loopback.
    published = {name: s.get("ports", []) for name, s in services.items() if s.get("ports")}
    assert published == {"web": ["127.0.0.1:8000:8000"]}
    assert "-B" in services["worker"]["command"]
    assert services["worker"]["environment"]["PORTAL_TF_LOCAL__TF_VAR_aws_endpoint"] == (
        "http://emulator:5000"
    )
