"""The whole platform, applied once per test session on the local AWS emulator.

``deployment`` starts a moto server, runs ``terraform init`` + ``apply`` of
``terraform/environments/local`` in a private work directory and yields it; tests
read the emulated account back with boto3 (``aws("ec2")``). ``test_zz_lifecycle``
runs last: the second plan must be empty and destroy must leave nothing. If a test
run stops early, the fixture still destroys and always stops the emulator.

The emulator records every AWS API action it serves (``ENVIRONMENT_ACTIONS``) for the
whole session; ``bootstrap`` applies ``terraform/bootstrap`` (the deployer's policies)
on a second, short-lived emulator with its own log (``BOOTSTRAP_ACTIONS``), since an
administrator, not the deployer, applies it.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from emulator import Emulator, client
from tools.local_platform import EnvironmentRun
from tools.policy_check import BootstrapRun

REGION = "eu-west-1"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS_DIR", ".cache/test-artifacts"))
ENVIRONMENT_ACTIONS = ARTIFACTS / "environment-actions.jsonl"
BOOTSTRAP_ACTIONS = ARTIFACTS / "bootstrap-actions.jsonl"
# terraform/environments/local deploys Project=shop, Environment=local.
DEPLOYER_ENVIRONMENTS = '["local"]'


class Deployment:
    def __init__(self, emulator: Emulator, run: EnvironmentRun, bootstrap: Future[Bootstrap]):
        self.emulator = emulator
        self.run = run
        self.destroyed = False
        self.bootstrap = bootstrap

    def client(self, service: str):
        return client(self.emulator.endpoint, service, REGION)


@pytest.fixture(scope="session")
def deployment(tmp_path_factory):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ENVIRONMENT_ACTIONS.unlink(missing_ok=True)
    workdir = tmp_path_factory.mktemp("local-environment")
    with (
        Emulator(log_path=ARTIFACTS / "emulator.log", action_log=ENVIRONMENT_ACTIONS) as emulator,
        open(ARTIFACTS / "terraform.log", "w") as log,
    ):
        run = EnvironmentRun(
            workdir, {"aws_endpoint": emulator.endpoint, "region": REGION}, log=log
        )
        # The bootstrap mostly waits on the provider; it runs beside the apply.
        with ThreadPoolExecutor(max_workers=1) as background:
            bootstrapped = background.submit(_bootstrap, tmp_path_factory.mktemp("bootstrap"))
            deployed = Deployment(emulator, run, bootstrapped)
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


class Bootstrap:
    def __init__(self, run: BootstrapRun):
        self.run = run
        self.outputs = run.outputs()
        self.state = run.show()

    @property
    def deployer_policy_documents(self) -> dict[str, str]:
        return self.outputs["deployer"]["policy_documents"]


@pytest.fixture(scope="session")
def bootstrap(deployment) -> Bootstrap:
    """terraform/bootstrap applied on its own recorded emulator (started with the
    deployment), for the environments the local root deploys."""
    return deployment.bootstrap.result()


def _bootstrap(workdir: Path) -> Bootstrap:
    """Apply the bootstrap root; its emulator stops (and the bootstrap is gone) on return."""
    BOOTSTRAP_ACTIONS.unlink(missing_ok=True)
    with (
        Emulator(
            log_path=ARTIFACTS / "emulator-bootstrap.log", action_log=BOOTSTRAP_ACTIONS
        ) as emulator,
        open(ARTIFACTS / "terraform-bootstrap.log", "w") as log,
    ):
        run = BootstrapRun(
            workdir,
            {
                "aws_endpoint": emulator.endpoint,
                "region": REGION,
                "environments": DEPLOYER_ENVIRONMENTS,
            },
            log=log,
        )
        run.apply()
        return Bootstrap(run)
