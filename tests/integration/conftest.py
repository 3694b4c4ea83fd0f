"""The whole platform, applied once per test session on the local AWS emulator.

``deployment`` starts a moto server, runs ``terraform init`` + ``apply`` of
``terraform/environments/local`` in a private work directory and yields it; tests
read the emulated account back with boto3 (``aws("ec2")``). ``test_zz_lifecycle``
runs last: the second plan must be empty and destroy must leave nothing. If a test
run stops early, the fixture still destroys and always stops the emulator.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from emulator import Emulator, client
from tools.local_platform import EnvironmentRun

REGION = "eu-west-1"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS_DIR", ".cache/test-artifacts"))


class Deployment:
    def __init__(self, emulator: Emulator, run: EnvironmentRun):
        self.emulator = emulator
        self.run = run
        self.destroyed = False

    def client(self, service: str):
        return client(self.emulator.endpoint, service, REGION)


@pytest.fixture(scope="session")
def deployment(tmp_path_factory):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    workdir = tmp_path_factory.mktemp("local-environment")
    with (
        Emulator(log_path=ARTIFACTS / "emulator.log") as emulator,
        open(ARTIFACTS / "terraform.log", "w") as log,
    ):
        run = EnvironmentRun(
            workdir, {"aws_endpoint": emulator.endpoint, "region": REGION}, log=log
        )
        deployed = Deployment(emulator, run)
        run.init()
        try:
            run.apply()
            yield deployed
        finally:
            if not deployed.destroyed:
                run.destroy()


@pytest.fixture(scope="session")
def tf_outputs(deployment) -> dict:
    """The local root's outputs, with the ``platform`` object's members at top level."""
    return deployment.run.outputs()


@pytest.fixture(scope="session")
def aws(deployment):
    """``aws("ec2")``: a boto3 client for the emulated account."""
    return deployment.client
