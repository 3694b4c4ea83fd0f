"""terraform/bootstrap on its own emulator: the account's delivery stack, and a run of
its pipeline.

Applies the root with ``aws_endpoint`` set, reads the deployer, the pipeline, its
builds, buckets and EventBridge wiring back, then runs the pipeline for real through
the emulator's execution extension and the local CodeBuild worker (tools/pipeline):
on a one-parameter environment (tests/fixtures/pipeline), so that it takes seconds,
with this repository's plan and apply buildspecs. ``make pipeline`` runs the same with
the whole platform. Last: empty re-plan and destroy.
"""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from emulator import Emulator, client
from tools import REPO_ROOT, TERRAFORM_DIR
from tools.local_platform import PLAN_NO_CHANGES, EnvironmentRun, TerraformFailed
from tools.pipeline import Worker, pack_source, unpack, waiting_approval

pytestmark = pytest.mark.integration

REGION = "eu-west-1"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS_DIR", ".cache/test-artifacts"))
CALLBACK_KEY = "k" * 40
FIXTURE = "tests/fixtures/pipeline"
FIXTURE_BUILDSPECS = f'{{ validate = "{FIXTURE}/validate.yml", smoke = "{FIXTURE}/smoke.yml" }}'


class Bootstrap:
    def __init__(self, emulator: Emulator, run: EnvironmentRun):
        self.emulator = emulator
        self.run = run

    def aws(self, service: str):
        return client(self.emulator.endpoint, service, REGION)


@pytest.fixture(scope="module")
def bootstrap(tmp_path_factory):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (
        Emulator(log_path=ARTIFACTS / "bootstrap-emulator.log") as emulator,
        open(ARTIFACTS / "bootstrap-terraform.log", "w") as log,
    ):
        run = EnvironmentRun(
            tmp_path_factory.mktemp("bootstrap"),
            {
                "aws_endpoint": emulator.endpoint,
                "environments": '["sandbox"]',
                "pipeline_environments_dir": "tests/fixtures/pipeline/environments",
                "pipeline_buildspecs": FIXTURE_BUILDSPECS,
                "portal_url": "http://127.0.0.1:8000",
                "portal_callback_api_key": CALLBACK_KEY,
            },
            log=log,
            config_dir=TERRAFORM_DIR / "bootstrap",
        )
        # No destroy on teardown: the state bucket refuses it by design (see the last
        # test), and the emulator, with everything in it, stops here anyway.
        run.init()
        run.apply()
        yield Bootstrap(emulator, run)


@pytest.fixture(scope="module")
def outputs(bootstrap):
    return bootstrap.run.outputs()


def test_deployer_user_in_its_group_without_access_keys(bootstrap, outputs):
    iam = bootstrap.aws("iam")
    deployer = outputs["deployer"]
    assert iam.list_access_keys(UserName=deployer["user_name"])["AccessKeyMetadata"] == []
    groups = iam.list_groups_for_user(UserName=deployer["user_name"])["Groups"]
    assert [group["GroupName"] for group in groups] == [deployer["group_name"]]
    attached = {
        policy["PolicyArn"]
        for policy in iam.list_attached_group_policies(GroupName=deployer["group_name"])[
            "AttachedPolicies"
        ]
    }
    assert attached == {*deployer["policy_arns"].values(), deployer["mfa_policy_arn"]}


def test_deploy_builds_hold_the_deployer_policies_and_validate_holds_none(bootstrap, outputs):
    iam = bootstrap.aws("iam")

    def attached(role: str) -> set[str]:
        return {
            policy["PolicyArn"]
            for policy in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
        }

    assert attached("shop-pipeline-deploy") == set(outputs["deployer"]["policy_arns"].values())
    assert attached("shop-pipeline-validate") == set()
    # The documents the deployer output names are the ones the role holds.
    for area, arn in outputs["deployer"]["policy_arns"].items():
        version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
        document = iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]
        assert document["Document"] == json.loads(outputs["deployer"]["policy_documents"][area])


def test_pipeline_stages_actions_and_encrypted_artifact_store(bootstrap, outputs):
    pipeline = bootstrap.aws("codepipeline").get_pipeline(
        name=outputs["pipeline"]["pipeline_name"]
    )["pipeline"]
    assert pipeline["pipelineType"] == "V2"
    assert [stage["name"] for stage in pipeline["stages"]] == [
        "Source",
        "Validate",
        "Plan-sandbox",
        "Approve-sandbox",
        "Apply-sandbox",
        "Smoke-sandbox",
    ]
    store = pipeline["artifactStore"]
    assert store["location"] == outputs["pipeline"]["artifacts_bucket"]
    assert store["encryptionKey"]["type"] == "KMS"
    actions = {stage["name"]: stage["actions"][0] for stage in pipeline["stages"]}
    assert actions["Source"]["actionTypeId"]["provider"] == "S3"
    assert actions["Source"]["configuration"]["S3Bucket"] == outputs["pipeline"]["source_bucket"]
    assert [a["name"] for a in actions["Apply-sandbox"]["inputArtifacts"]] == [
        "source",
        "plan_sandbox",
    ]
    approval = actions["Approve-sandbox"]
    assert approval["actionTypeId"]["provider"] == "Manual"
    assert (
        approval["configuration"]["NotificationArn"]
        == outputs["pipeline"]["notifications_topic_arn"]
    )
    assert "PLAN_REVIEW_LINK" in approval["configuration"]["ExternalEntityLink"]


def test_build_projects_run_the_repository_buildspecs_with_7_day_kms_logs(bootstrap, outputs):
    projects = outputs["pipeline"]["build_projects"]
    read = {
        project["name"]: project
        for project in bootstrap.aws("codebuild").batch_get_projects(names=list(projects.values()))[
            "projects"
        ]
    }
    assert {kind: read[name]["source"]["buildspec"] for kind, name in projects.items()} == {
        "validate": f"{FIXTURE}/validate.yml",
        "plan": "buildspecs/plan.yml",
        "apply": "buildspecs/apply.yml",
        "smoke": f"{FIXTURE}/smoke.yml",
    }
    for project in read.values():
        variables = {v["name"]: v["value"] for v in project["environment"]["environmentVariables"]}
        assert variables["TERRAFORM_VERSION"] == "1.11.4"
        assert variables["STATE_BUCKET"].startswith("shop-terraform-state-")
        assert ":key/" in project["encryptionKey"]
    groups = bootstrap.aws("logs").describe_log_groups(
        logGroupNamePrefix="/aws/codebuild/shop-pipeline-"
    )["logGroups"]
    assert len(groups) == 4
    assert {group["retentionInDays"] for group in groups} == {7}
    assert all(group.get("kmsKeyId") for group in groups)


def test_buckets_are_private_kms_tls_only_and_expire(bootstrap, outputs):
    s3 = bootstrap.aws("s3")
    for bucket in (outputs["pipeline"]["artifacts_bucket"], outputs["pipeline"]["source_bucket"]):
        block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        assert all(block.values())
        rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"][
            "Rules"
        ][0]
        assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
        assert {
            s["Condition"].get("Bool", {}).get("aws:SecureTransport") for s in policy["Statement"]
        } >= {"false"}
        lifecycle = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"][0]
        assert lifecycle["Expiration"]["Days"] == 30
    notification = s3.get_bucket_notification_configuration(
        Bucket=outputs["pipeline"]["source_bucket"]
    )
    assert "EventBridgeConfiguration" in notification


def test_eventbridge_rules_alert_people_and_call_the_portal(bootstrap, outputs):
    events = bootstrap.aws("events")
    rules = {rule["Name"]: rule for rule in events.list_rules(NamePrefix="shop-pipeline-")["Rules"]}
    assert set(rules) == {"shop-pipeline-source", "shop-pipeline-alerts", "shop-pipeline-callback"}

    alerts = json.loads(rules["shop-pipeline-alerts"]["EventPattern"])
    assert alerts["source"] == ["aws.codepipeline"]
    alert_targets = events.list_targets_by_rule(Rule="shop-pipeline-alerts")["Targets"]
    assert [t["Arn"] for t in alert_targets] == [outputs["pipeline"]["notifications_topic_arn"]]

    callback_targets = events.list_targets_by_rule(Rule="shop-pipeline-callback")["Targets"]
    destination = events.describe_api_destination(Name="shop-pipeline-portal")
    assert [t["Arn"] for t in callback_targets] == [destination["ApiDestinationArn"]]
    assert destination["InvocationEndpoint"] == "http://127.0.0.1:8000/api/pipeline/events"
    assert destination["HttpMethod"] == "POST"
    connection = events.describe_connection(Name="shop-pipeline-portal")
    assert connection["AuthorizationType"] == "API_KEY"
    api_key = connection["AuthParameters"]["ApiKeyAuthParameters"]
    assert api_key["ApiKeyName"] == "X-Pipeline-Callback-Key"
    assert CALLBACK_KEY not in json.dumps(connection, default=str)

    pattern = json.loads(rules["shop-pipeline-source"]["EventPattern"])
    assert pattern["detail"]["bucket"]["name"] == [outputs["pipeline"]["source_bucket"]]


def test_the_callback_key_is_no_output(outputs):
    assert CALLBACK_KEY not in json.dumps(outputs)


# --- running the pipeline ----------------------------------------------------------

PIPELINE = "shop-delivery"
STAGE_TIMEOUT = 600  # seconds; a bound on a slow machine, not a measurement


def _source_zip(tmp_path: Path, marker: str) -> Path:
    """This checkout as the pipeline's source, with the fixture's marker set."""
    archive = tmp_path / f"source-{marker}.zip"
    pack_source(REPO_ROOT, archive)
    fixture = f"{FIXTURE}/environments/sandbox/main.tf"
    original = (REPO_ROOT / fixture).read_text()
    changed = original.replace('default     = "first"', f'default     = "{marker}"')
    assert changed != original or marker == "first"
    rewritten = tmp_path / f"rewritten-{marker}.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(rewritten, "w") as target:
        for info in source.infolist():
            data = changed.encode() if info.filename == fixture else source.read(info)
            target.writestr(info, data)
    return rewritten


def _start(bootstrap, outputs, archive: Path) -> str:
    bootstrap.aws("s3").upload_file(
        str(archive), outputs["pipeline"]["source_bucket"], outputs["pipeline"]["source_object_key"]
    )
    return bootstrap.aws("codepipeline").start_pipeline_execution(name=PIPELINE)[
        "pipelineExecutionId"
    ]


def _status(bootstrap, execution_id: str) -> str:
    return bootstrap.aws("codepipeline").get_pipeline_execution(
        pipelineName=PIPELINE, pipelineExecutionId=execution_id
    )["pipelineExecution"]["status"]


def _actions(bootstrap, execution_id: str) -> dict[str, dict]:
    details = bootstrap.aws("codepipeline").list_action_executions(
        pipelineName=PIPELINE, filter={"pipelineExecutionId": execution_id}
    )["actionExecutionDetails"]
    return {detail["stageName"]: detail for detail in details}


def _approve(bootstrap, execution_id: str) -> None:
    approval = waiting_approval(bootstrap.aws, PIPELINE, execution_id)
    assert approval is not None
    bootstrap.aws("codepipeline").put_approval_result(
        pipelineName=PIPELINE,
        stageName=approval["stage"],
        actionName=approval["action"],
        result={"summary": "approved by the test", "status": "Approved"},
        token=approval["token"],
    )


def _marker(bootstrap) -> str:
    return bootstrap.aws("ssm").get_parameter(Name="/shop-sandbox/marker")["Parameter"]["Value"]


def _work_until_approval(bootstrap, worker, execution_id: str) -> None:
    """Run the execution's jobs until it waits for approval (or ends: then fail)."""
    worker.work_until(
        lambda: (
            waiting_approval(bootstrap.aws, PIPELINE, execution_id) is not None
            or _status(bootstrap, execution_id) != "InProgress"
        ),
        STAGE_TIMEOUT,
    )
    assert waiting_approval(bootstrap.aws, PIPELINE, execution_id), _actions(
        bootstrap, execution_id
    )


@pytest.fixture(scope="module")
def worker(bootstrap, tmp_path_factory):
    return Worker(bootstrap.aws, bootstrap.emulator.endpoint, tmp_path_factory.mktemp("builds"))


def test_pipeline_applies_exactly_the_approved_plan(bootstrap, outputs, worker, tmp_path):
    execution = _start(bootstrap, outputs, _source_zip(tmp_path, "first"))
    _work_until_approval(bootstrap, worker, execution)
    actions = _actions(bootstrap, execution)
    assert [actions[s]["status"] for s in ("Source", "Validate", "Plan-sandbox")] == [
        "Succeeded"
    ] * 3
    plan = actions["Plan-sandbox"]["output"]
    assert plan["outputVariables"]["PLAN_SUMMARY"] == "1 to add, 0 to change, 0 to destroy"

    # The code changes after the plan: a new push, and even the execution's own source
    # artifact rewritten. The Apply stage must still apply what was approved.
    changed = _source_zip(tmp_path, "changed-after-plan")
    source_artifact = actions["Plan-sandbox"]["input"]["inputArtifacts"][0]["s3location"]
    bootstrap.aws("s3").upload_file(str(changed), source_artifact["bucket"], source_artifact["key"])
    bootstrap.aws("s3").upload_file(
        str(changed), outputs["pipeline"]["source_bucket"], outputs["pipeline"]["source_object_key"]
    )

    _approve(bootstrap, execution)
    worker.work_until(lambda: _status(bootstrap, execution) != "InProgress", STAGE_TIMEOUT)
    assert _status(bootstrap, execution) == "Succeeded", _actions(bootstrap, execution)
    assert _marker(bootstrap) == "first"
    assert set(worker.timings) >= {"Validate", "Plan-sandbox", "Apply-sandbox", "Smoke-sandbox"}


def _apply_outside_the_pipeline(bootstrap, tmp_path: Path, marker: str) -> None:
    """What an operator applying by hand does: plan and apply with the same settings."""
    source = tmp_path / "outside"
    unpack(_source_zip(tmp_path, marker), source)
    (source / ".venv").symlink_to(REPO_ROOT / ".venv", target_is_directory=True)
    project = bootstrap.aws("codebuild").batch_get_projects(names=["shop-pipeline-plan"])[
        "projects"
    ][0]
    env = {
        **os.environ,
        **{v["name"]: v["value"] for v in project["environment"]["environmentVariables"]},
        "TARGET_ENVIRONMENT": "sandbox",
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "emulator",
        "AWS_SECRET_ACCESS_KEY": "emulator",
        "CODEBUILD_SRC_DIR_plan_sandbox": str(source / ".pipeline" / "plan"),
    }
    for target in ("ci-plan", "ci-apply"):
        subprocess.run(["make", "--no-print-directory", target], cwd=source, env=env, check=True)


def test_a_stale_plan_fails_the_apply_and_changes_nothing(bootstrap, outputs, worker, tmp_path):
    execution = _start(bootstrap, outputs, _source_zip(tmp_path, "second"))
    _work_until_approval(bootstrap, worker, execution)
    # Someone applies by hand while the plan waits for its approval.
    _apply_outside_the_pipeline(bootstrap, tmp_path, "outside")
    assert _marker(bootstrap) == "outside"

    _approve(bootstrap, execution)
    worker.work_until(lambda: _status(bootstrap, execution) != "InProgress", STAGE_TIMEOUT)
    assert _status(bootstrap, execution) == "Failed"
    apply = _actions(bootstrap, execution)["Apply-sandbox"]
    message = apply["output"]["executionResult"]["externalExecutionSummary"]
    assert apply["status"] == "Failed"
    assert "refused the stale plan" in (worker.workdir / "Apply-sandbox.log").read_text()
    assert "exited with" in message
    assert _marker(bootstrap) == "outside"


def test_second_plan_shows_no_changes(bootstrap):
    code, output = bootstrap.run.plan_exit_code()
    assert code == PLAN_NO_CHANGES, f"re-plan after apply wants changes:\n{output[-6000:]}"


def test_destroy_spares_the_state_bucket_and_removes_the_rest(bootstrap):
    # The state bucket holds every environment's state: Terraform refuses to destroy it.
    with pytest.raises(TerraformFailed, match="prevent_destroy"):
        bootstrap.run.destroy()
    bootstrap.run.destroy("module.pipeline", "module.deployer")
    assert bootstrap.aws("codepipeline").list_pipelines()["pipelines"] == []
    assert bootstrap.aws("codebuild").list_projects()["projects"] == []
    assert bootstrap.aws("iam").list_users()["Users"] == []
    assert bootstrap.aws("events").list_rules(NamePrefix="shop-pipeline-")["Rules"] == []
    buckets = [bucket["Name"] for bucket in bootstrap.aws("s3").list_buckets()["Buckets"]]
    assert buckets == [bootstrap.run.outputs()["state_bucket_name"]]
