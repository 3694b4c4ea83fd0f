"""Runs last (file order): the applied platform is stable, then destroys cleanly, and
the deployer's policies allow everything Terraform called on the way."""

from __future__ import annotations

import pytest

from emulator.recording import NO_PERMISSION_REQUIRED, read_actions
from tests.integration.conftest import ARTIFACTS, BOOTSTRAP_ACTIONS, ENVIRONMENT_ACTIONS
from tools.iam_policy import allows, granted_actions, granted_services, service_of, unused_grants
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


# --- The deployer's policies against what Terraform really called -------------------
# The emulator recorded every request of the session (conftest.ENVIRONMENT_ACTIONS);
# Terraform's are told apart from the tests' own boto3 reads by the user agent.


# Called, yet deliberately not granted: a denial here is harmless.
TOLERATED_DENIALS = {
    # The provider's account-ID lookup (aws-sdk-go-base) tries iam:GetUser first and
    # falls back to sts:GetCallerIdentity when it is denied or the caller is a role;
    # interactive users hold it on their own user through the MFA policy.
    "iam:GetUser",
}
# Granted, yet never called by Terraform on the emulator: each with its reason.
GRANTED_NOT_CALLED_SERVICES = {
    # rds:CreateDBInstance with manage_master_user_password: RDS creates and deletes
    # the master secret with the caller's permissions; Terraform never calls it.
    "secretsmanager",
    # aws_wafv2_web_acl_association exists only with the load-balancer module's
    # web_acl_arn, which the local environment does not set.
    "wafv2",
}


def _terraform_actions() -> list[dict]:
    return [r for r in read_actions(ENVIRONMENT_ACTIONS) if r.get("client") == "terraform"]


@pytest.mark.integration
def test_deployer_policy_allows_every_action_terraform_called(deployment, bootstrap):
    assert deployment.destroyed, "runs after the destroy test: apply, re-plan and destroy"
    records = _terraform_actions()
    assert records, f"nothing recorded in {ENVIRONMENT_ACTIONS}"
    assert [r for r in records if not r.get("action")] == [], "requests the recorder could not name"
    documents = list(bootstrap.deployer_policy_documents.values())
    called = {r["action"] for r in records}
    needed = called - NO_PERMISSION_REQUIRED - TOLERATED_DENIALS
    denied = sorted(a for a in needed if not allows(documents, a))

    bootstrap_actions = {r["action"] for r in read_actions(BOOTSTRAP_ACTIONS) if r.get("action")}
    granted = granted_actions(documents)
    report = [
        f"environment apply + re-plan + destroy: {len(records)} requests, "
        f"{len(called)} distinct actions, {len({service_of(a) for a in called})} services",
        f"deployer policy: {len(documents)} documents, {len(granted)} action patterns granted, "
        f"{len(unused_grants(documents, called))} not called on the emulator",
        f"bootstrap (administrator, not required of the deployer): "
        f"{len(read_actions(BOOTSTRAP_ACTIONS))} requests, "
        f"{len(bootstrap_actions)} distinct actions",
        f"not needing a permission: {sorted(called & NO_PERMISSION_REQUIRED)}; "
        f"tolerated denials: {sorted(called & TOLERATED_DENIALS)}",
        f"denied: {denied}",
    ]
    (ARTIFACTS / "deployer-actions.txt").write_text(
        "\n".join(report + ["", "called:", *sorted(called)]) + "\n"
    )
    print("\n".join(report))
    assert denied == [], f"the deployer's policies do not allow actions Terraform called: {denied}"


@pytest.mark.integration
def test_deployer_policy_grants_only_services_the_platform_uses(deployment, bootstrap):
    assert deployment.destroyed
    used = {service_of(r["action"]) for r in _terraform_actions() if r.get("action")}
    granted = granted_services(bootstrap.deployer_policy_documents.values())
    print(f"services granted: {sorted(granted)}; used: {sorted(used)}")
    unexplained = granted - used - GRANTED_NOT_CALLED_SERVICES
    assert unexplained == set(), f"granted but never called: {sorted(unexplained)}"
    stale = GRANTED_NOT_CALLED_SERVICES - (granted - used)
    assert stale == set(), f"listed as granted-not-called but called or not granted: {stale}"
