"""Runs last (file order): the applied platform is stable, then destroys cleanly."""

from __future__ import annotations

import pytest

from tools.local_platform import PLAN_NO_CHANGES


@pytest.mark.integration
def test_second_plan_shows_no_changes(deployment):
    code, output = deployment.run.plan_exit_code()
    assert code == PLAN_NO_CHANGES, f"re-plan after apply wants changes:\n{output[-6000:]}"


@pytest.mark.integration
def test_destroy_leaves_nothing_behind(deployment, aws):
    deployment.run.destroy()
    deployment.destroyed = True
    assert deployment.run.resource_count() == 0

    ec2 = aws("ec2")
    vpcs = [v for v in ec2.describe_vpcs()["Vpcs"] if not v["IsDefault"]]
    assert vpcs == []
    instances = [
        i
        for r in ec2.describe_instances()["Reservations"]
        for i in r["Instances"]
        if i["State"]["Name"] not in ("terminated", "shutting-down")
    ]
    assert instances == []
    assert aws("rds").describe_db_instances()["DBInstances"] == []
    assert aws("dynamodb").list_tables()["TableNames"] == []
    assert aws("efs").describe_file_systems()["FileSystems"] == []
    assert aws("elbv2").describe_load_balancers()["LoadBalancers"] == []
    assert aws("autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"] == []
    assert aws("s3").list_buckets()["Buckets"] == []
    assert aws("logs").describe_log_groups()["logGroups"] == []
    assert aws("cloudwatch").describe_alarms()["MetricAlarms"] == []
    assert aws("sns").list_topics()["Topics"] == []
