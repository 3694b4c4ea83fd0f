"""The real thing once: the portal plans terraform/environments/local (the whole
platform), a second person approves, the worker applies it to the AWS emulator, and the
emulated account then holds the platform. Takes a few minutes."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from tests.portal.conftest import WorkerProcess
from tools import REPO_ROOT

pytestmark = [pytest.mark.portal, pytest.mark.integration]


@pytest.fixture(scope="module")
def platform_portal(settings, portal_environ, services, tmp_path_factory):  # type: ignore[no-untyped-def]
    from app import create_app
    from emulator import Emulator
    from portal import messaging

    data_dir = tmp_path_factory.mktemp("platform-data")
    # A Redis database of its own, so the suite's other worker never takes these tasks.
    redis_url = services["redis_url"].rsplit("/", 1)[0] + "/1"
    with Emulator(log_path=data_dir / "emulator.log") as emulator:
        environ = {
            **portal_environ,
            "REDIS_URL": redis_url,
            "PORTAL_DATA_DIR": str(data_dir),
            "PORTAL_SOURCE_DIR": str(REPO_ROOT),
            "PORTAL_TF_LOCAL__TF_VAR_aws_endpoint": emulator.endpoint,
            "PORTAL_APPLY_TIMEOUT": "900",
        }
        worker = WorkerProcess(environ, data_dir / "worker.log")
        worker.start()
        platform_settings = replace(
            settings,
            redis_url=redis_url,
            data_dir=data_dir,
            source_dir=REPO_ROOT,
            environment_settings={"LOCAL": {"TF_VAR_aws_endpoint": emulator.endpoint}},
        )
        try:
            yield create_app({"TESTING": True}, settings=platform_settings), emulator
        finally:
            worker.stop()
            messaging.configure(settings)  # the other tests' broker again


def test_portal_plans_approves_and_applies_the_whole_local_platform_on_the_emulator(
    platform_portal, make_user, wait_for
):
    from emulator import client
    from tests.portal.conftest import sign_in

    app, emulator = platform_portal
    operator = sign_in(app, make_user("operator", f"op-{uuid.uuid4().hex[:6]}"))
    approver = sign_in(app, make_user("approver", f"ap-{uuid.uuid4().hex[:6]}"))

    run_id = operator.start_plan("local", "whole platform")
    run = wait_for(run_id, "awaiting_approval", "failed", timeout=300)
    assert run.state == "awaiting_approval", run.status_detail
    summary = operator.get(f"/api/v1/runs/{run_id}").status_code  # API needs a token: 401
    assert summary == 401
    page = operator.get(f"/runs/{run_id}").get_data(as_text=True)
    assert "module.platform.module.network.aws_vpc.this" in page or "aws_vpc" in page

    approver.post(f"/runs/{run_id}/approve", {"comment": "whole platform"}, page=f"/runs/{run_id}")
    wait_for(run_id, "approved", timeout=10)
    operator.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}")
    run = wait_for(run_id, "applied", "failed", "discarded", "cancelled", timeout=900)
    assert run.state == "applied", run.status_detail

    ec2 = client(emulator.endpoint, "ec2")
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Environment", "Values": ["local"]}])["Vpcs"]
    assert len(vpcs) == 1
    groups = client(emulator.endpoint, "autoscaling").describe_auto_scaling_groups()
    assert [(g["MinSize"], g["MaxSize"]) for g in groups["AutoScalingGroups"]] == [(1, 2)]
    log = "\n".join(line["text"] for line in operator.get(f"/runs/{run_id}/log").get_json())
    assert "Apply complete!" in log
