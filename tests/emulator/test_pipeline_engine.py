"""The emulator's CodePipeline execution engine and EventBridge delivery extensions.

Driven only through boto3 against a real emulator (moto server + compatibility
layer), exactly as the local executor and the platform's notifications use it.
Waits are on conditions with a deadline, never fixed sleeps.
"""

from __future__ import annotations

import base64
import http.server
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config

from emulator import Emulator, client, free_port, moto_compat
from emulator.server import FAKE_KEY

REGION = "eu-west-1"
ACCOUNT = "123456789012"
PIPELINE = "platform-delivery-pipeline"
SOURCE_BUCKET = "source-bucket"
STORE_BUCKET = "artifact-store"
BUILD_TYPE = {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"}
TEST_TYPE = {**BUILD_TYPE, "category": "Test"}


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as started:
        yield started


@pytest.fixture
def aws(emulator: Emulator) -> Callable[[str], Any]:
    emulator.reset()
    return lambda service: client(emulator.endpoint, service, REGION)


def wait_for(condition: Callable[[], Any], timeout: float = 15, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _role(aws: Callable[[str], Any]) -> str:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "codepipeline.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    return aws("iam").create_role(RoleName="pipeline", AssumeRolePolicyDocument=json.dumps(trust))[
        "Role"
    ]["Arn"]


def _action(name: str, type_: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {"name": name, "actionTypeId": type_, **extra}


def create_pipeline(
    aws: Callable[[str], Any], stages: list[dict[str, Any]] | None = None, topic: str | None = None
) -> None:
    s3 = aws("s3")
    location = {"LocationConstraint": REGION}
    s3.create_bucket(Bucket=SOURCE_BUCKET, CreateBucketConfiguration=location)
    s3.put_bucket_versioning(Bucket=SOURCE_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    s3.create_bucket(Bucket=STORE_BUCKET, CreateBucketConfiguration=location)
    source_type = {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"}
    approval_type = {"category": "Approval", "owner": "AWS", "provider": "Manual", "version": "1"}
    approval_config = {"CustomData": "Ship it?"}
    if topic:
        approval_config["NotificationArn"] = topic
    stages = stages or [
        {
            "name": "Source",
            "actions": [
                _action(
                    "Source",
                    source_type,
                    configuration={"S3Bucket": SOURCE_BUCKET, "S3ObjectKey": "source.zip"},
                    outputArtifacts=[{"name": "source_output"}],
                    namespace="SourceVariables",
                )
            ],
        },
        {
            "name": "Build",
            "actions": [
                _action(
                    "Build",
                    BUILD_TYPE,
                    configuration={
                        "ProjectName": "platform-build",
                        "EnvironmentVariables": (
                            '[{"name":"REV","value":"#{SourceVariables.VersionId}"}]'
                        ),
                    },
                    inputArtifacts=[{"name": "source_output"}],
                    outputArtifacts=[{"name": "build_output"}],
                    namespace="BuildVariables",
                )
            ],
        },
        {
            "name": "Approval",
            "actions": [_action("Approve", approval_type, configuration=approval_config)],
        },
        {
            "name": "Test",
            "actions": [
                _action(
                    "Test",
                    TEST_TYPE,
                    configuration={
                        "ProjectName": "platform-test",
                        "PrimarySource": "build_output",
                        "EnvironmentVariables": (
                            '[{"name":"IMG","value":"#{BuildVariables.IMAGE}"}]'
                        ),
                    },
                    inputArtifacts=[{"name": "build_output"}],
                )
            ],
        },
    ]
    aws("codepipeline").create_pipeline(
        pipeline={
            "name": PIPELINE,
            "roleArn": _role(aws),
            "artifactStore": {"type": "S3", "location": STORE_BUCKET},
            "stages": stages,
        }
    )


def upload_source(aws: Callable[[str], Any], body: bytes = b"zip bytes") -> str:
    return str(aws("s3").put_object(Bucket=SOURCE_BUCKET, Key="source.zip", Body=body)["VersionId"])


def poll_job(codepipeline: Any, type_: dict[str, str]) -> dict[str, Any]:
    def poll() -> Any:
        jobs = codepipeline.poll_for_jobs(actionTypeId=type_, maxBatchSize=1)["jobs"]
        return jobs[0] if jobs else None

    return dict(wait_for(poll, what=f"a {type_['category']} job"))


def take_job(codepipeline: Any, type_: dict[str, str]) -> dict[str, Any]:
    job = poll_job(codepipeline, type_)
    acknowledged = codepipeline.acknowledge_job(jobId=job["id"], nonce=job["nonce"])
    assert acknowledged["status"] == "InProgress"
    return job


def execution_status(codepipeline: Any, execution_id: str) -> str:
    return str(
        codepipeline.get_pipeline_execution(
            pipelineName=PIPELINE, pipelineExecutionId=execution_id
        )["pipelineExecution"]["status"]
    )


def action_state(codepipeline: Any, stage: str) -> dict[str, Any]:
    state = codepipeline.get_pipeline_state(name=PIPELINE)
    stage_state = next(s for s in state["stageStates"] if s["stageName"] == stage)
    return dict(stage_state["actionStates"][0])


def approval_token(codepipeline: Any) -> str:
    return str(action_state(codepipeline, "Approval")["latestExecution"]["token"])


def error_code(call: Callable[[], Any]) -> str:
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call()
    return str(raised.value.response["Error"]["Code"])


def run_to_approval(aws: Callable[[str], Any]) -> tuple[Any, str]:
    codepipeline = aws("codepipeline")
    upload_source(aws)
    execution_id = codepipeline.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    build = take_job(codepipeline, BUILD_TYPE)
    codepipeline.put_job_success_result(jobId=build["id"], outputVariables={"IMAGE": "img:1"})
    assert action_state(codepipeline, "Approval")["latestExecution"]["status"] == "InProgress"
    return codepipeline, execution_id


# --- tests --------------------------------------------------------------------------------


def test_pipeline_runs_source_build_approval_test(aws):
    sqs, sns = aws("sqs"), aws("sns")
    topic = sns.create_topic(Name="approvals")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="approvals")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    create_pipeline(aws, topic=topic)
    version = upload_source(aws, b"the source")
    codepipeline, s3 = aws("codepipeline"), aws("s3")

    execution_id = codepipeline.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    assert execution_status(codepipeline, execution_id) == "InProgress"
    source = action_state(codepipeline, "Source")
    assert source["latestExecution"]["status"] == "Succeeded"
    assert source["currentRevision"]["revisionId"] == version

    build = take_job(codepipeline, BUILD_TYPE)
    data = build["data"]
    assert build["accountId"] == ACCOUNT
    assert data["actionTypeId"] == BUILD_TYPE
    configuration = data["actionConfiguration"]["configuration"]
    assert configuration["ProjectName"] == "platform-build"
    assert version in configuration["EnvironmentVariables"]  # #{SourceVariables.VersionId}
    context = data["pipelineContext"]
    assert context["pipelineName"] == PIPELINE
    assert context["stage"]["name"] == "Build"
    assert context["action"]["name"] == "Build"
    assert context["pipelineExecutionId"] == execution_id
    assert context["pipelineArn"].endswith(f":{PIPELINE}")
    (source_artifact,) = data["inputArtifacts"]
    assert source_artifact["name"] == "source_output"
    assert source_artifact["revision"] == version
    location = source_artifact["location"]["s3Location"]
    assert location["bucketName"] == STORE_BUCKET
    prefix, name, suffix = location["objectKey"].split("/")
    assert (prefix, name, len(suffix)) == (PIPELINE[:20], "source_out", 7)
    copied = s3.get_object(Bucket=location["bucketName"], Key=location["objectKey"])
    assert copied["Body"].read() == b"the source"
    (output,) = data["outputArtifacts"]
    output_location = output["location"]["s3Location"]
    assert output_location["objectKey"].startswith(f"{PIPELINE[:20]}/build_outp/")
    assert set(data["artifactCredentials"]) == {"accessKeyId", "secretAccessKey", "sessionToken"}
    assert codepipeline.get_job_details(jobId=build["id"])["jobDetails"]["data"] == data
    assert codepipeline.poll_for_jobs(actionTypeId=BUILD_TYPE)["jobs"] == []

    # The worker uploads the build output to the pre-assigned key and reports success.
    s3.put_object(
        Bucket=output_location["bucketName"], Key=output_location["objectKey"], Body=b"built"
    )
    codepipeline.put_job_success_result(
        jobId=build["id"],
        executionDetails={
            "summary": "built",
            "externalExecutionId": "build-1",
            "percentComplete": 100,
        },
        outputVariables={"IMAGE": "registry/app:1"},
    )
    assert error_code(lambda: codepipeline.put_job_success_result(jobId=build["id"])) == (
        "InvalidJobStateException"
    )

    approval = action_state(codepipeline, "Approval")["latestExecution"]
    assert approval["status"] == "InProgress"
    token = approval["token"]
    messages = wait_for(
        lambda: sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=0).get("Messages"),
        what="the approval notification",
    )
    notification = json.loads(json.loads(messages[0]["Body"])["Message"])
    assert notification["region"] == REGION
    assert notification["approval"]["pipelineName"] == PIPELINE
    assert notification["approval"]["stageName"] == "Approval"
    assert notification["approval"]["actionName"] == "Approve"
    assert notification["approval"]["token"] == token
    assert notification["approval"]["customData"] == "Ship it?"
    assert set(notification["approval"]) >= {"expires", "approvalReviewLink"}

    def approve(token_: str) -> Any:
        return codepipeline.put_approval_result(
            pipelineName=PIPELINE,
            stageName="Approval",
            actionName="Approve",
            result={"summary": "looks good", "status": "Approved"},
            token=token_,
        )

    assert error_code(lambda: approve("not-the-token")) == "InvalidApprovalTokenException"
    assert "approvedAt" in approve(token)
    assert error_code(lambda: approve(token)) == "ApprovalAlreadyCompletedException"
    approved = action_state(codepipeline, "Approval")["latestExecution"]
    assert (approved["status"], approved["summary"]) == ("Succeeded", "looks good")

    test = take_job(codepipeline, TEST_TYPE)
    (test_input,) = test["data"]["inputArtifacts"]
    assert test_input["location"]["s3Location"] == output_location
    assert (
        "registry/app:1"
        in test["data"]["actionConfiguration"]["configuration"]["EnvironmentVariables"]
    )
    codepipeline.put_job_success_result(jobId=test["id"])
    assert execution_status(codepipeline, execution_id) == "Succeeded"

    state = codepipeline.get_pipeline_state(name=PIPELINE)
    assert state["pipelineVersion"] == 1
    assert [s["stageName"] for s in state["stageStates"]] == ["Source", "Build", "Approval", "Test"]
    for stage in state["stageStates"]:
        assert stage["latestExecution"] == {
            "pipelineExecutionId": execution_id,
            "status": "Succeeded",
        }
        assert stage["inboundTransitionState"]["enabled"] is True
    build_state = state["stageStates"][1]["actionStates"][0]["latestExecution"]
    assert build_state["summary"] == "built"
    assert build_state["externalExecutionId"] == "build-1"

    (summary,) = codepipeline.list_pipeline_executions(pipelineName=PIPELINE)[
        "pipelineExecutionSummaries"
    ]
    assert summary["pipelineExecutionId"] == execution_id
    assert summary["status"] == "Succeeded"
    assert summary["trigger"]["triggerType"] == "StartPipelineExecution"
    assert summary["sourceRevisions"][0]["revisionId"] == version
    execution = codepipeline.get_pipeline_execution(
        pipelineName=PIPELINE, pipelineExecutionId=execution_id
    )["pipelineExecution"]
    assert execution["executionType"] == "STANDARD"
    assert execution["artifactRevisions"][0]["revisionId"] == version

    details = codepipeline.list_action_executions(
        pipelineName=PIPELINE, filter={"pipelineExecutionId": execution_id}
    )["actionExecutionDetails"]
    assert [d["actionName"] for d in details] == ["Test", "Approve", "Build", "Source"]
    assert {d["status"] for d in details} == {"Succeeded"}
    build_detail = details[2]
    assert build_detail["input"]["inputArtifacts"][0]["s3location"] == {
        "bucket": STORE_BUCKET,
        "key": location["objectKey"],
    }
    assert build_detail["input"]["resolvedConfiguration"]["ProjectName"] == "platform-build"
    assert build_detail["output"]["outputVariables"] == {"IMAGE": "registry/app:1"}
    assert build_detail["output"]["executionResult"]["externalExecutionId"] == "build-1"
    assert (
        error_code(
            lambda: codepipeline.get_pipeline_execution(
                pipelineName=PIPELINE, pipelineExecutionId="00000000-0000-0000-0000-000000000000"
            )
        )
        == "PipelineExecutionNotFoundException"
    )


def test_rejected_approval_fails_the_execution(aws):
    create_pipeline(aws)
    codepipeline, execution_id = run_to_approval(aws)
    codepipeline.put_approval_result(
        pipelineName=PIPELINE,
        stageName="Approval",
        actionName="Approve",
        result={"summary": "not today", "status": "Rejected"},
        token=approval_token(codepipeline),
    )
    rejected = action_state(codepipeline, "Approval")["latestExecution"]
    assert (rejected["status"], rejected["summary"]) == ("Failed", "not today")
    assert execution_status(codepipeline, execution_id) == "Failed"
    assert "latestExecution" not in codepipeline.get_pipeline_state(name=PIPELINE)["stageStates"][3]
    assert codepipeline.poll_for_jobs(actionTypeId=TEST_TYPE)["jobs"] == []


def test_approval_errors_for_unknown_stage_and_action(aws):
    create_pipeline(aws)
    codepipeline = aws("codepipeline")

    def approve(stage: str, action: str) -> Any:
        return codepipeline.put_approval_result(
            pipelineName=PIPELINE,
            stageName=stage,
            actionName=action,
            result={"summary": "s", "status": "Approved"},
            token="t",
        )

    assert error_code(lambda: approve("Nope", "Approve")) == "StageNotFoundException"
    assert error_code(lambda: approve("Approval", "Nope")) == "ActionNotFoundException"
    assert error_code(lambda: approve("Approval", "Approve")) == "ApprovalAlreadyCompletedException"


def test_job_failure_fails_the_execution(aws):
    create_pipeline(aws)
    upload_source(aws)
    codepipeline = aws("codepipeline")
    execution_id = codepipeline.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    build = poll_job(codepipeline, BUILD_TYPE)
    assert error_code(lambda: codepipeline.acknowledge_job(jobId=build["id"], nonce="x")) == (
        "InvalidNonceException"
    )
    codepipeline.acknowledge_job(jobId=build["id"], nonce=build["nonce"])
    codepipeline.put_job_failure_result(
        jobId=build["id"],
        failureDetails={
            "type": "JobFailed",
            "message": "unit tests failed",
            "externalExecutionId": "b-2",
        },
    )
    assert execution_status(codepipeline, execution_id) == "Failed"
    failed = action_state(codepipeline, "Build")["latestExecution"]
    assert failed["status"] == "Failed"
    assert failed["errorDetails"] == {"code": "JobFailed", "message": "unit tests failed"}
    state = codepipeline.get_pipeline_state(name=PIPELINE)["stageStates"]
    assert state[1]["latestExecution"]["status"] == "Failed"
    assert "latestExecution" not in state[2]


def test_stop_with_abandon_stops_at_once(aws):
    create_pipeline(aws)
    upload_source(aws)
    codepipeline = aws("codepipeline")
    execution_id = codepipeline.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    build = take_job(codepipeline, BUILD_TYPE)
    codepipeline.stop_pipeline_execution(
        pipelineName=PIPELINE, pipelineExecutionId=execution_id, abandon=True, reason="enough"
    )
    assert execution_status(codepipeline, execution_id) == "Stopped"
    assert action_state(codepipeline, "Build")["latestExecution"]["status"] == "Abandoned"
    assert error_code(lambda: codepipeline.put_job_success_result(jobId=build["id"])) == (
        "InvalidJobStateException"
    )
    assert (
        error_code(
            lambda: codepipeline.stop_pipeline_execution(
                pipelineName=PIPELINE, pipelineExecutionId=execution_id
            )
        )
        == "PipelineExecutionNotStoppableException"
    )


def test_stop_without_abandon_lets_the_job_finish(aws):
    create_pipeline(aws)
    upload_source(aws)
    codepipeline = aws("codepipeline")
    execution_id = codepipeline.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    build = take_job(codepipeline, BUILD_TYPE)
    codepipeline.stop_pipeline_execution(pipelineName=PIPELINE, pipelineExecutionId=execution_id)
    assert execution_status(codepipeline, execution_id) == "Stopping"
    summaries = codepipeline.list_pipeline_executions(pipelineName=PIPELINE)
    assert summaries["pipelineExecutionSummaries"][0]["status"] == "Stopping"
    codepipeline.put_job_success_result(jobId=build["id"], executionDetails={"summary": "done"})
    assert execution_status(codepipeline, execution_id) == "Stopped"
    build_state = action_state(codepipeline, "Build")["latestExecution"]
    assert (build_state["status"], build_state["summary"]) == ("Succeeded", "done")
    assert "latestExecution" not in codepipeline.get_pipeline_state(name=PIPELINE)["stageStates"][2]


def test_a_stopping_execution_can_be_abandoned(aws):
    create_pipeline(aws)
    upload_source(aws)
    codepipeline = aws("codepipeline")
    execution_id = codepipeline.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    build = take_job(codepipeline, BUILD_TYPE)
    codepipeline.stop_pipeline_execution(pipelineName=PIPELINE, pipelineExecutionId=execution_id)
    assert (
        error_code(
            lambda: codepipeline.stop_pipeline_execution(
                pipelineName=PIPELINE, pipelineExecutionId=execution_id
            )
        )
        == "PipelineExecutionNotStoppableException"
    )
    codepipeline.stop_pipeline_execution(
        pipelineName=PIPELINE, pipelineExecutionId=execution_id, abandon=True
    )
    assert execution_status(codepipeline, execution_id) == "Stopped"
    assert (
        error_code(
            lambda: codepipeline.put_job_failure_result(
                jobId=build["id"], failureDetails={"type": "JobFailed", "message": "late"}
            )
        )
        == "InvalidJobStateException"
    )


def test_stop_abandons_a_waiting_approval(aws):
    create_pipeline(aws)
    codepipeline, execution_id = run_to_approval(aws)
    codepipeline.stop_pipeline_execution(pipelineName=PIPELINE, pipelineExecutionId=execution_id)
    assert execution_status(codepipeline, execution_id) == "Stopped"
    assert action_state(codepipeline, "Approval")["latestExecution"]["status"] == "Abandoned"


def test_missing_source_object_fails_the_source_action(aws):
    create_pipeline(aws)
    codepipeline = aws("codepipeline")
    execution_id = codepipeline.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    assert execution_status(codepipeline, execution_id) == "Failed"
    source = action_state(codepipeline, "Source")["latestExecution"]
    assert source["status"] == "Failed"
    assert "source.zip" in source["errorDetails"]["message"]
    assert codepipeline.poll_for_jobs(actionTypeId=BUILD_TYPE)["jobs"] == []


def test_github_source_fails_with_a_clear_message(aws):
    github = {
        "category": "Source",
        "owner": "AWS",
        "provider": "CodeStarSourceConnection",
        "version": "1",
    }
    create_pipeline(
        aws,
        stages=[
            {
                "name": "Source",
                "actions": [
                    _action(
                        "Source",
                        github,
                        configuration={"ConnectionArn": "arn:x", "FullRepositoryId": "o/r"},
                        outputArtifacts=[{"name": "src"}],
                    )
                ],
            },
            {
                "name": "Build",
                "actions": [_action("Build", BUILD_TYPE, inputArtifacts=[{"name": "src"}])],
            },
        ],
    )
    codepipeline = aws("codepipeline")
    execution_id = codepipeline.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    assert execution_status(codepipeline, execution_id) == "Failed"
    message = action_state(codepipeline, "Source")["latestExecution"]["errorDetails"]["message"]
    assert "GitHub" in message and "S3" in message


class _Receiver(http.server.BaseHTTPRequestHandler):
    received: list[dict[str, Any]]

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length", 0))
        headers = {key.lower(): value for key, value in self.headers.items()}
        self.received.append({"headers": headers, "body": json.loads(self.rfile.read(length))})
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []
    handler = type("Handler", (_Receiver,), {"received": received})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()
    server.server_close()


def test_events_reach_an_api_destination_with_the_connection_api_key(aws, receiver):
    endpoint, received = receiver
    events = aws("events")
    connection = events.create_connection(
        Name="hook",
        AuthorizationType="API_KEY",
        AuthParameters={"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "k3y"}},
    )["ConnectionArn"]
    destination = events.create_api_destination(
        Name="hook", ConnectionArn=connection, InvocationEndpoint=endpoint, HttpMethod="POST"
    )["ApiDestinationArn"]
    events.put_rule(
        Name="pipeline-events",
        EventPattern=json.dumps(
            {
                "source": ["aws.codepipeline"],
                "detail-type": ["CodePipeline Pipeline Execution State Change"],
            }
        ),
    )
    events.put_targets(
        Rule="pipeline-events",
        Targets=[
            {"Id": "hook", "Arn": destination, "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/events"}
        ],
    )
    create_pipeline(aws)
    codepipeline, execution_id = run_to_approval(aws)
    codepipeline.put_approval_result(
        pipelineName=PIPELINE,
        stageName="Approval",
        actionName="Approve",
        result={"summary": "ok", "status": "Approved"},
        token=approval_token(codepipeline),
    )
    test = take_job(codepipeline, TEST_TYPE)
    codepipeline.put_job_success_result(jobId=test["id"])

    wait_for(lambda: len(received) >= 2, what="two pipeline events at the API destination")
    first = received[0]
    assert first["headers"]["x-api-key"] == "k3y"
    assert first["headers"]["content-type"] == "application/json"
    states = [r["body"]["detail"]["state"] for r in received]
    assert states == ["STARTED", "SUCCEEDED"]
    event = received[-1]["body"]
    assert event["source"] == "aws.codepipeline"
    assert event["detail-type"] == "CodePipeline Pipeline Execution State Change"
    assert event["account"] == ACCOUNT
    assert event["region"] == REGION
    assert event["resources"] == [f"arn:aws:codepipeline:{REGION}:{ACCOUNT}:{PIPELINE}"]
    assert event["detail"]["pipeline"] == PIPELINE
    assert event["detail"]["execution-id"] == execution_id
    assert event["time"].endswith("Z")


def test_all_state_changes_reach_an_api_destination_with_basic_auth(aws, receiver):
    endpoint, received = receiver
    events = aws("events")
    connection = events.create_connection(
        Name="basic",
        AuthorizationType="BASIC",
        AuthParameters={
            "BasicAuthParameters": {"Username": "u", "Password": "p"},
            "InvocationHttpParameters": {"HeaderParameters": [{"Key": "X-Extra", "Value": "1"}]},
        },
    )["ConnectionArn"]
    destination = events.create_api_destination(
        Name="basic", ConnectionArn=connection, InvocationEndpoint=endpoint, HttpMethod="POST"
    )["ApiDestinationArn"]
    events.put_rule(Name="all", EventPattern=json.dumps({"source": ["aws.codepipeline"]}))
    events.put_targets(Rule="all", Targets=[{"Id": "hook", "Arn": destination}])
    create_pipeline(aws)
    codepipeline = aws("codepipeline")
    codepipeline.start_pipeline_execution(name=PIPELINE)  # no source object: fails

    wait_for(lambda: len(received) >= 6, what="every state change of a failed run")
    assert received[0]["headers"]["authorization"] == "Basic " + base64.b64encode(b"u:p").decode()
    assert received[0]["headers"]["x-extra"] == "1"
    sequence = [
        (r["body"]["detail-type"].split()[1], r["body"]["detail"]["state"]) for r in received
    ]
    assert sequence == [
        ("Pipeline", "STARTED"),
        ("Stage", "STARTED"),
        ("Action", "STARTED"),
        ("Action", "FAILED"),
        ("Stage", "FAILED"),
        ("Pipeline", "FAILED"),
    ]
    action = received[3]["body"]["detail"]
    assert action["stage"] == "Source"
    assert action["action"] == "Source"
    assert action["type"] == {
        "owner": "AWS",
        "provider": "S3",
        "category": "Source",
        "version": "1",
    }


def test_failure_events_reach_an_sns_target(aws):
    sqs, sns, events = aws("sqs"), aws("sns"), aws("events")
    topic = sns.create_topic(Name="pipeline-failures")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="failures")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    events.put_rule(
        Name="failures",
        EventPattern=json.dumps(
            {
                "source": ["aws.codepipeline"],
                "detail-type": ["CodePipeline Pipeline Execution State Change"],
                "detail": {"state": ["FAILED"]},
            }
        ),
    )
    events.put_targets(
        Rule="failures",
        Targets=[
            {
                "Id": "topic",
                "Arn": topic,
                "InputTransformer": {
                    "InputPathsMap": {
                        "pipeline": "$.detail.pipeline",
                        "id": "$.detail.execution-id",
                    },
                    "InputTemplate": '{"text": "Pipeline <pipeline> failed (<id>)"}',
                },
            },
            {"Id": "raw", "Arn": topic, "InputPath": "$.detail"},
        ],
    )
    create_pipeline(aws)
    upload_source(aws)
    codepipeline = aws("codepipeline")
    execution_id = codepipeline.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
    build = take_job(codepipeline, BUILD_TYPE)
    codepipeline.put_job_failure_result(
        jobId=build["id"], failureDetails={"type": "JobFailed", "message": "boom"}
    )

    bodies: list[Any] = []

    def two_messages() -> bool:
        for message in sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
            "Messages", []
        ):
            bodies.append(json.loads(json.loads(message["Body"])["Message"]))
        return len(bodies) >= 2

    wait_for(two_messages, what="two failure notifications")
    assert {"text": f"Pipeline {PIPELINE} failed ({execution_id})"} in bodies
    raw = next(b for b in bodies if "state" in b)
    assert (raw["state"], raw["execution-id"]) == ("FAILED", execution_id)


def test_raw_moto_cannot_report_pipeline_state(monkeypatch):
    monkeypatch.setenv(moto_compat.SKIP_VARIABLE, "codepipeline_execution_engine")
    with Emulator() as raw:
        aws = lambda service: client(raw.endpoint, service, REGION)  # noqa: E731
        create_pipeline(aws)
        codepipeline = aws("codepipeline")
        execution_id = codepipeline.start_pipeline_execution(name=PIPELINE)["pipelineExecutionId"]
        # No source object, yet moto reports success without running anything.
        assert execution_status(codepipeline, execution_id) == "Succeeded"
        once = boto3.client(
            "codepipeline",
            endpoint_url=raw.endpoint,
            region_name=REGION,
            aws_access_key_id=FAKE_KEY,
            aws_secret_access_key=FAKE_KEY,
            config=Config(retries={"max_attempts": 1}),
        )
        # moto has no GetPipelineState: HTTP 500 ("not implemented").
        assert error_code(lambda: once.get_pipeline_state(name=PIPELINE)) == "500"
        assert error_code(lambda: once.poll_for_jobs(actionTypeId=BUILD_TYPE)) == "500"


def test_raw_moto_cannot_deliver_events_to_an_sns_target(monkeypatch):
    monkeypatch.setenv(moto_compat.SKIP_VARIABLE, "events_deliver_to_sns_and_api_destinations")
    with Emulator() as raw:
        sns = client(raw.endpoint, "sns", REGION)
        topic = sns.create_topic(Name="t")["TopicArn"]
        events = boto3.client(
            "events",
            endpoint_url=raw.endpoint,
            region_name=REGION,
            aws_access_key_id=FAKE_KEY,
            aws_secret_access_key=FAKE_KEY,
            config=Config(retries={"max_attempts": 1}),
        )
        events.put_rule(Name="all", EventPattern=json.dumps({"source": ["aws.codepipeline"]}))
        events.put_targets(Rule="all", Targets=[{"Id": "topic", "Arn": topic}])
        entry = {"Source": "aws.codepipeline", "DetailType": "x", "Detail": "{}"}
        # moto has no SNS target: PutEvents fails (HTTP 500, NotImplementedError).
        assert error_code(lambda: events.put_events(Entries=[entry])) == "500"
