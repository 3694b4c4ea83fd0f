"""CodePipeline execution engine (an *extension*: moto stores pipelines, never runs them).

moto 5 keeps CodePipeline definitions and records ``StartPipelineExecution`` as an
execution that "Succeeded" at once; it has no ``GetPipelineState``, no job API, no
approvals and no events. This module makes a pipeline created by Terraform really
run inside the emulator, driven only by CodePipeline API calls, with AWS's request
and response shapes so the same client code works against AWS.

Contract (every state transition happens inside an API call; only EventBridge
delivery is asynchronous, see :mod:`emulator.moto_compat.eventbridge_delivery`):

* ``StartPipelineExecution`` runs stages in order; in a stage, actions by
  ``runOrder`` (the same runOrder together). A failed action fails its stage and the
  execution; later stages do not run.
* **Source / AWS / S3**: the engine reads ``S3Bucket``/``S3ObjectKey`` (latest
  version) from moto's S3, copies it into the artifact store (``artifactStore`` or
  ``artifactStores[region]``) at ``<pipeline[:20]>/<artifact[:10]>/<7 random chars>``
  and records the revision (version id, else ETag). A missing object fails the
  action. **CodeStarSourceConnection** fails: the emulator cannot reach GitHub.
* **CodeBuild** actions (and any ``Custom``-owner action) become jobs, polled by a
  worker with ``PollForJobs`` -> ``AcknowledgeJob`` -> ``PutJobSuccessResult`` /
  ``PutJobFailureResult`` (``GetJobDetails`` too). Job data as on AWS: action
  configuration, pipeline context, input artifacts (S3 locations of the copies),
  output artifacts (keys pre-assigned in the artifact store), artifact credentials
  and the store's KMS key. Output variables feed ``#{namespace.variable}`` in later
  actions' configuration.
* **Approval / AWS / Manual**: a fresh token in ``GetPipelineState``; with
  ``NotificationArn`` the AWS approval JSON is published to that SNS topic;
  ``PutApprovalResult`` approves or rejects.
* ``GetPipelineState``, ``GetPipelineExecution``, ``ListPipelineExecutions``,
  ``ListActionExecutions``, ``StopPipelineExecution`` (abandon or let the running
  job finish), with AWS's error codes.
* Every state change puts an ``aws.codepipeline`` event (pipeline / stage / action
  execution state change, AWS's detail format) on the account's default bus through
  moto's events backend, so rules match as moto matches them.

State lives on moto's codepipeline backend (per account and region), so
``/moto-api/reset`` clears it.

Differences from AWS:

* **The one API deviation**: ``PollForJobs`` also serves ``owner: "AWS"`` CodeBuild
  actions (AWS only lets Custom actions be polled, and runs CodeBuild itself). The
  local executor is the CodeBuild worker. CodeBuild projects are not consulted.
* Artifact credentials are placeholders (the emulator accepts any); no job timeouts,
  no continuation tokens, no retries of failed stages, no ``Supersede``/``Queued``
  execution modes (every execution runs independently, as in PARALLEL mode), no
  inbound-transition disabling, no triggers other than ``StartPipelineExecution``.
* Action providers other than S3 source, CodeBuild, Manual approval and Custom
  actions fail with a message saying the emulator does not run them.
"""

from __future__ import annotations

import copy
import json
import re
import string
import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from emulator.moto_compat import fix

_lock = threading.RLock()
_ALPHABET = string.ascii_letters + string.digits
SOURCE_PROVIDER_GITHUB = "CodeStarSourceConnection"
NOT_REACHABLE = (
    "The emulator cannot reach GitHub (CodeStarSourceConnection); "
    "use an S3 source action for local runs."
)
# Job statuses as in AWS's JobStatus, plus our own Abandoned.
JOB_ACTIVE = ("Queued", "Dispatched", "InProgress")


# --- errors ---------------------------------------------------------------------------


def _error(code: str, message: str) -> Exception:
    from moto.core.exceptions import JsonRESTError

    error = JsonRESTError(code, message)
    error.code = 400
    return error


def _now() -> datetime:
    return datetime.now(UTC)


def _epoch(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment else None


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _random_suffix(length: int = 7) -> str:
    import secrets

    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def _prune(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if value is not None}


# --- model ----------------------------------------------------------------------------


class ActionRun:
    """One execution of one action (an ``actionExecutionId``)."""

    def __init__(self, execution: Execution, stage: str, action: dict[str, Any]):
        self.id = str(uuid.uuid4())
        self.execution = execution
        self.stage = stage
        self.action = action
        self.name: str = action["name"]
        self.type: dict[str, str] = action["actionTypeId"]
        self.status = "InProgress"
        self.summary: str | None = None
        self.start_time = _now()
        self.last_update = self.start_time
        self.token: str | None = None
        self.external_id: str | None = None
        self.external_url: str | None = None
        self.percent: int | None = None
        self.error: dict[str, str] | None = None
        self.resolved: dict[str, Any] = {}
        self.inputs: list[dict[str, Any]] = []
        self.outputs: list[dict[str, Any]] = []
        self.output_variables: dict[str, str] = {}
        self.revision: dict[str, Any] | None = None
        self.job: Job | None = None

    def set(self, status: str, summary: str | None = None) -> None:
        self.status = status
        if summary is not None:
            self.summary = summary
        self.last_update = _now()

    def state(self) -> dict[str, Any]:
        latest = _prune(
            {
                "actionExecutionId": self.id,
                "status": self.status,
                "summary": self.summary,
                "lastStatusChange": _epoch(self.last_update),
                "token": self.token if self.status == "InProgress" else None,
                "externalExecutionId": self.external_id,
                "externalExecutionUrl": self.external_url,
                "percentComplete": self.percent,
                "errorDetails": self.error,
            }
        )
        return _prune(
            {"actionName": self.name, "currentRevision": self.revision, "latestExecution": latest}
        )

    def detail(self) -> dict[str, Any]:
        def located(artifacts: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [
                {"name": a["name"], "s3location": {"bucket": a["bucket"], "key": a["key"]}}
                for a in artifacts
            ]

        execution = self.execution
        return {
            "pipelineExecutionId": execution.id,
            "actionExecutionId": self.id,
            "pipelineVersion": execution.version,
            "stageName": self.stage,
            "actionName": self.name,
            "startTime": _epoch(self.start_time),
            "lastUpdateTime": _epoch(self.last_update),
            "status": self.status,
            "input": _prune(
                {
                    "actionTypeId": self.type,
                    "configuration": self.action.get("configuration") or {},
                    "resolvedConfiguration": self.resolved,
                    "roleArn": self.action.get("roleArn") or execution.pipeline.get("roleArn"),
                    "region": self.action.get("region") or execution.region,
                    "inputArtifacts": located(self.inputs),
                    "namespace": self.action.get("namespace"),
                }
            ),
            "output": {
                "outputArtifacts": located(self.outputs),
                "executionResult": _prune(
                    {
                        "externalExecutionId": self.external_id,
                        "externalExecutionSummary": self.summary,
                        "externalExecutionUrl": self.external_url,
                        "errorDetails": self.error,
                    }
                ),
                "outputVariables": self.output_variables,
            },
        }


class Job:
    """A job for a worker (CodeBuild or Custom action), as PollForJobs returns it."""

    def __init__(self, run: ActionRun, data: dict[str, Any], account: str):
        self.id = str(uuid.uuid4())
        self.nonce = str(uuid.uuid4())
        self.run = run
        self.data = data
        self.account = account
        self.status = "Queued"

    def details(self) -> dict[str, Any]:
        return {"id": self.id, "data": self.data, "accountId": self.account}


class Execution:
    def __init__(self, pipeline: Any, account: str, region: str):
        self.id = str(uuid.uuid4())
        self.pipeline_model = pipeline
        self.pipeline: dict[str, Any] = copy.deepcopy(pipeline.pipeline)
        self.name: str = self.pipeline["name"]
        self.arn: str = pipeline._arn
        self.version: int = self.pipeline.get("version", 1)
        self.account = account
        self.region = region
        self.status = "InProgress"
        self.status_summary: str | None = None
        self.start_time = _now()
        self.last_update = self.start_time
        self.stage_index = 0
        self.stage_status: dict[str, str] = {}
        self.runs: dict[tuple[str, str], ActionRun] = {}
        self.artifacts: dict[str, dict[str, Any]] = {}
        self.variables: dict[str, dict[str, str]] = {}
        self.source_revisions: list[dict[str, Any]] = []
        self.artifact_revisions: list[dict[str, Any]] = []
        self.mode: str = self.pipeline.get("executionMode") or "SUPERSEDED"
        self.trigger = {"triggerType": "StartPipelineExecution", "triggerDetail": ""}
        self.pipeline_variables: list[dict[str, str]] = []

    def set(self, status: str, summary: str | None = None) -> None:
        self.status = status
        if summary is not None:
            self.status_summary = summary
        self.last_update = _now()

    def to_dict(self) -> dict[str, Any]:
        return _prune(
            {
                "pipelineName": self.name,
                "pipelineVersion": self.version,
                "pipelineExecutionId": self.id,
                "status": self.status,
                "statusSummary": self.status_summary,
                "artifactRevisions": self.artifact_revisions,
                "variables": [
                    {"name": v["name"], "resolvedValue": v["value"]}
                    for v in self.pipeline_variables
                ],
                "trigger": self.trigger,
                "executionMode": self.mode,
                "executionType": "STANDARD",
            }
        )

    def to_summary_dict(self) -> dict[str, Any]:
        return _prune(
            {
                "pipelineExecutionId": self.id,
                "status": self.status,
                "statusSummary": self.status_summary,
                "startTime": _epoch(self.start_time),
                "lastUpdateTime": _epoch(self.last_update),
                "sourceRevisions": self.source_revisions,
                "trigger": self.trigger,
                "executionMode": self.mode,
                "executionType": "STANDARD",
            }
        )


class EngineState:
    """Engine state of one codepipeline backend (account + region)."""

    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}
        self.request_tokens: dict[tuple[str, str], str] = {}
        # pipeline name -> stage name -> latest execution that entered it
        self.stage_latest: dict[str, dict[str, Execution]] = {}


def _state(backend: Any) -> EngineState:
    state = backend.__dict__.get("_engine_state")
    if state is None:
        state = EngineState()
        backend._engine_state = state
    return state


# --- helpers on moto's backends -------------------------------------------------------


def _pipeline(backend: Any, name: str) -> Any:
    pipeline = backend.pipelines.get(name)
    if not pipeline:
        raise _error(
            "PipelineNotFoundException",
            f"Account '{backend.account_id}' does not have a pipeline with name '{name}'",
        )
    return pipeline


def _execution(backend: Any, pipeline_name: str, execution_id: str) -> Execution:
    execution = _pipeline(backend, pipeline_name).executions.get(execution_id)
    if not isinstance(execution, Execution):
        raise _error(
            "PipelineExecutionNotFoundException",
            f"Pipeline execution ID {execution_id} does not exist in the pipeline "
            f"with name {pipeline_name}.",
        )
    return execution


def _s3(account: str, region: str) -> Any:
    from moto.s3.models import s3_backends
    from moto.utilities.utils import get_partition

    return s3_backends[account][get_partition(region)]


def _artifact_store(execution: Execution, action: dict[str, Any]) -> dict[str, Any]:
    pipeline = execution.pipeline
    if pipeline.get("artifactStore"):
        return dict(pipeline["artifactStore"])
    stores = pipeline.get("artifactStores") or {}
    region = action.get("region") or execution.region
    return dict(stores.get(region) or next(iter(stores.values()), {}))


def _emit(execution: Execution, detail_type: str, detail: dict[str, Any]) -> None:
    from moto.events.models import events_backends

    body = {
        "pipeline": execution.name,
        "execution-id": execution.id,
        **detail,
        "version": float(execution.version),
        "pipeline-execution-attempt": 1.0,
    }
    try:
        events_backends[execution.account][execution.region].put_events(
            [
                {
                    "Source": "aws.codepipeline",
                    "DetailType": f"CodePipeline {detail_type} Execution State Change",
                    "Detail": json.dumps(body),
                    "Resources": [execution.arn],
                }
            ]
        )
    except Exception as error:  # noqa: BLE001 - events never fail the pipeline
        print(f"emulator: codepipeline engine: event not put: {error!r}", flush=True)


def _emit_pipeline(execution: Execution, state: str) -> None:
    _emit(
        execution,
        "Pipeline",
        {
            "execution-trigger": {"trigger-type": "StartPipelineExecution", "trigger-detail": ""},
            "start-time": _iso(execution.start_time),
            "state": state,
        },
    )


def _emit_stage(execution: Execution, stage: str, state: str) -> None:
    _emit(
        execution,
        "Stage",
        {"start-time": _iso(execution.start_time), "stage": stage, "state": state},
    )


def _emit_action(run: ActionRun, state: str) -> None:
    def artifacts(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {"name": a["name"], "s3location": {"bucket": a["bucket"], "key": a["key"]}}
            for a in items
        ]

    type_ = run.type
    detail: dict[str, Any] = {
        "start-time": _iso(run.execution.start_time),
        "stage": run.stage,
        "action-execution-id": run.id,
        "action": run.name,
        "state": state,
        "region": run.action.get("region") or run.execution.region,
        "type": {
            "owner": type_.get("owner"),
            "provider": type_.get("provider"),
            "category": type_.get("category"),
            "version": type_.get("version"),
        },
        "input-artifacts": artifacts(run.inputs),
    }
    if state != "STARTED":
        detail["output-artifacts"] = artifacts(run.outputs)
        detail["execution-result"] = _prune(
            {
                "external-execution-id": run.external_id,
                "external-execution-summary": run.summary,
                "external-execution-url": run.external_url,
                "error-code": (run.error or {}).get("code"),
            }
        )
    _emit(run.execution, "Action", detail)


_VARIABLE = re.compile(r"#\{([A-Za-z0-9@\-_]+)\.([A-Za-z0-9@\-_.]+)\}")


def _resolve(execution: Execution, value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _resolve(execution, item) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(execution, item) for item in value]
    if not isinstance(value, str):
        return value
    builtins = {"PipelineExecutionId": execution.id}
    pipeline_variables = {v["name"]: v["value"] for v in execution.pipeline_variables}

    def substitute(match: re.Match[str]) -> str:
        namespace, name = match.group(1), match.group(2)
        if namespace == "codepipeline":
            return builtins.get(name, match.group(0))
        if namespace == "variables":
            return pipeline_variables.get(name, match.group(0))
        return execution.variables.get(namespace, {}).get(name, match.group(0))

    return _VARIABLE.sub(substitute, value)


# --- running --------------------------------------------------------------------------


def _fail_run(run: ActionRun, message: str, code: str = "JobFailed") -> None:
    run.error = {"code": code, "message": message}
    run.set("Failed", message)
    _emit_action(run, "FAILED")


def _succeed_run(run: ActionRun) -> None:
    namespace = run.action.get("namespace")
    if namespace and run.output_variables:
        run.execution.variables.setdefault(namespace, {}).update(run.output_variables)
    for artifact in run.outputs:
        run.execution.artifacts[artifact["name"]] = artifact
    run.set("Succeeded")
    _emit_action(run, "SUCCEEDED")


def _run_s3_source(backend: Any, run: ActionRun) -> None:
    execution = run.execution
    config = run.resolved
    bucket, key = config.get("S3Bucket"), config.get("S3ObjectKey")
    s3 = _s3(execution.account, execution.region)
    try:
        source = s3.get_object(bucket, key) if bucket and key else None
    except Exception:  # noqa: BLE001 - moto raises MissingBucket for an unknown bucket
        _fail_run(run, f"The bucket named {bucket} does not exist, or you do not have access.")
        return
    if source is None:
        _fail_run(
            run,
            f"The object with key '{key}' does not exist in bucket '{bucket}'. "
            "Upload the source object (versioning enabled) and retry.",
        )
        return
    version = source.version_id if source.version_id not in (None, "null") else None
    etag = str(source.etag).strip('"')
    revision = version or etag
    for artifact in run.outputs:
        try:
            s3.put_object(artifact["bucket"], artifact["key"], source.value)
        except Exception as error:  # noqa: BLE001 - e.g. artifact store bucket missing
            _fail_run(run, f"Could not write to artifact store {artifact['bucket']}: {error}")
            return
        artifact["revision"] = revision
    run.revision = {"revisionId": revision, "revisionChangeId": etag, "created": _epoch(_now())}
    run.output_variables = _prune({"ETag": etag, "VersionId": version, "ObjectKey": key})
    run.external_id = revision
    run.summary = f"Amazon S3 version id: {revision}"
    execution.source_revisions.append(
        {"actionName": run.name, "revisionId": revision, "revisionSummary": run.summary}
    )
    for artifact in run.outputs:
        execution.artifact_revisions.append(
            {
                "name": artifact["name"],
                "revisionId": revision,
                "revisionChangeIdentifier": etag,
                "revisionSummary": run.summary,
                "created": _epoch(_now()),
            }
        )
    _succeed_run(run)


def _create_job(backend: Any, run: ActionRun) -> None:
    execution = run.execution
    store = _artifact_store(execution, run.action)

    def artifact(a: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": a["name"],
            "revision": a.get("revision"),
            "location": {
                "type": "S3",
                "s3Location": {"bucketName": a["bucket"], "objectKey": a["key"]},
            },
        }

    data: dict[str, Any] = {
        "actionTypeId": run.type,
        "actionConfiguration": {"configuration": run.resolved},
        "pipelineContext": {
            "pipelineName": execution.name,
            "stage": {"name": run.stage},
            "action": {"name": run.name, "actionExecutionId": run.id},
            "pipelineArn": execution.arn,
            "pipelineExecutionId": execution.id,
        },
        "inputArtifacts": [artifact(a) for a in run.inputs],
        "outputArtifacts": [artifact(a) for a in run.outputs],
        # Placeholders: the emulator accepts any credentials.
        "artifactCredentials": {
            "accessKeyId": "emulator",
            "secretAccessKey": "emulator",
            "sessionToken": "emulator",
        },
    }
    if store.get("encryptionKey"):
        data["encryptionKey"] = {"id": store["encryptionKey"]["id"], "type": "KMS"}
    job = Job(run, data, execution.account)
    run.job = job
    _state(backend).jobs[job.id] = job


def _start_approval(backend: Any, run: ActionRun) -> None:
    execution = run.execution
    run.token = str(uuid.uuid4())
    topic = run.resolved.get("NotificationArn")
    if not topic:
        return
    from moto.sns import sns_backends

    region = execution.region
    console = (
        f"https://console.aws.amazon.com/codepipeline/home?region={region}#/view/{execution.name}"
    )
    message = {
        "region": region,
        "consoleLink": console,
        "approval": {
            "pipelineName": execution.name,
            "stageName": run.stage,
            "actionName": run.name,
            "token": run.token,
            "expires": (_now() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%MZ"),
            "externalEntityLink": run.resolved.get("ExternalEntityLink"),
            "approvalReviewLink": f"{console}/{run.stage}/{run.name}/approve/{run.token}",
            "customData": run.resolved.get("CustomData"),
        },
    }
    subject = f"APPROVAL NEEDED: AWS CodePipeline {execution.name} for action {run.name}"
    try:
        _, _, _, topic_region, topic_account, _ = str(topic).split(":", 5)
        sns_backends[topic_account][topic_region].publish(
            message=json.dumps(message), arn=topic, subject=subject[:100]
        )
    except Exception as error:  # noqa: BLE001 - AWS fails the action when it cannot notify
        _fail_run(run, f"Could not publish the approval notification to {topic}: {error}")


def _start_action(backend: Any, execution: Execution, stage: str, action: dict[str, Any]) -> None:
    run = ActionRun(execution, stage, action)
    execution.runs[(stage, run.name)] = run
    run.resolved = _resolve(execution, action.get("configuration") or {})
    store = _artifact_store(execution, action)
    missing = []
    for item in action.get("inputArtifacts") or []:
        artifact = execution.artifacts.get(item["name"])
        if artifact is None:
            missing.append(item["name"])
        else:
            run.inputs.append(dict(artifact))
    for item in action.get("outputArtifacts") or []:
        key = f"{execution.name[:20]}/{item['name'][:10]}/{_random_suffix()}"
        run.outputs.append(
            {"name": item["name"], "bucket": store.get("location"), "key": key, "revision": None}
        )
    _emit_action(run, "STARTED")
    if missing:
        _fail_run(run, f"Input artifacts not found: {', '.join(missing)}")
        return
    type_ = run.type
    owner, category, provider = type_.get("owner"), type_.get("category"), type_.get("provider")
    if category == "Source" and owner == "AWS" and provider == "S3":
        _run_s3_source(backend, run)
    elif provider == SOURCE_PROVIDER_GITHUB:
        _fail_run(run, NOT_REACHABLE)
    elif category == "Approval" and provider == "Manual":
        _start_approval(backend, run)
    elif (owner == "AWS" and provider == "CodeBuild") or owner == "Custom":
        _create_job(backend, run)
    else:
        _fail_run(
            run,
            f"The emulator's pipeline engine does not run {owner}/{category}/{provider} actions.",
        )


def _in_progress(execution: Execution) -> list[ActionRun]:
    return [run for run in execution.runs.values() if run.status == "InProgress"]


def _finish_stopped(execution: Execution) -> None:
    if execution.status == "Stopping" and not _in_progress(execution):
        stages = execution.pipeline["stages"]
        if execution.stage_index < len(stages):
            stage = stages[execution.stage_index]["name"]
            if execution.stage_status.get(stage) == "InProgress":
                execution.stage_status[stage] = "Stopped"
                _emit_stage(execution, stage, "STOPPED")
        execution.set("Stopped")
        _emit_pipeline(execution, "STOPPED")


def _advance(backend: Any, execution: Execution) -> None:
    """Run everything that can run now; return when waiting on a worker or done."""
    state = _state(backend)
    stages = execution.pipeline["stages"]
    while execution.status == "InProgress":
        stage = stages[execution.stage_index]
        stage_name = stage["name"]
        if stage_name not in execution.stage_status:
            execution.stage_status[stage_name] = "InProgress"
            state.stage_latest.setdefault(execution.name, {})[stage_name] = execution
            _emit_stage(execution, stage_name, "STARTED")
        runs = [execution.runs.get((stage_name, a["name"])) for a in stage["actions"]]
        if any(run is not None and run.status == "InProgress" for run in runs):
            return
        failed = [run for run in runs if run is not None and run.status != "Succeeded"]
        if failed:
            execution.stage_status[stage_name] = "Failed"
            _emit_stage(execution, stage_name, "FAILED")
            run = failed[0]
            summary = run.error["message"] if run.error else run.summary
            execution.set("Failed", summary)
            _emit_pipeline(execution, "FAILED")
            return
        pending = [a for a, run in zip(stage["actions"], runs, strict=True) if run is None]
        if not pending:
            execution.stage_status[stage_name] = "Succeeded"
            _emit_stage(execution, stage_name, "SUCCEEDED")
            execution.stage_index += 1
            if execution.stage_index >= len(stages):
                execution.stage_index = len(stages) - 1
                execution.set("Succeeded")
                _emit_pipeline(execution, "SUCCEEDED")
                return
            continue
        order = min(int(a.get("runOrder", 1)) for a in pending)
        for action in pending:
            if int(action.get("runOrder", 1)) == order:
                _start_action(backend, execution, stage_name, action)
    _finish_stopped(execution)


def _after_run_change(backend: Any, execution: Execution) -> None:
    execution.last_update = _now()
    if execution.status == "Stopping":
        _finish_stopped(execution)
    else:
        _advance(backend, execution)


# --- operations -----------------------------------------------------------------------


def start_pipeline_execution(
    backend: Any, name: str, variables: list[dict[str, str]] | None, token: str | None
) -> str:
    with _lock:
        pipeline = _pipeline(backend, name)
        state = _state(backend)
        if token and (name, token) in state.request_tokens:
            return state.request_tokens[(name, token)]
        execution = Execution(pipeline, backend.account_id, backend.region_name)
        execution.pipeline_variables = list(variables or [])
        pipeline.executions[execution.id] = execution
        if token:
            state.request_tokens[(name, token)] = execution.id
        _emit_pipeline(execution, "STARTED")
        _advance(backend, execution)
        return execution.id


def get_pipeline_state(backend: Any, name: str) -> dict[str, Any]:
    with _lock:
        pipeline = _pipeline(backend, name)
        latest = _state(backend).stage_latest.get(name, {})
        stage_states = []
        for stage in pipeline.pipeline["stages"]:
            stage_name = stage["name"]
            execution = latest.get(stage_name)
            if execution is not None and execution.pipeline_model is not pipeline:
                execution = None  # from a deleted pipeline of the same name
            entry: dict[str, Any] = {
                "stageName": stage_name,
                "inboundTransitionState": {"enabled": True},
                "actionStates": [],
            }
            for action in stage["actions"]:
                run = execution.runs.get((stage_name, action["name"])) if execution else None
                entry["actionStates"].append(run.state() if run else {"actionName": action["name"]})
            if execution is not None:
                entry["latestExecution"] = {
                    "pipelineExecutionId": execution.id,
                    "status": execution.stage_status.get(stage_name, "InProgress"),
                }
            stage_states.append(entry)
        return {
            "pipelineName": name,
            "pipelineVersion": pipeline.pipeline.get("version", 1),
            "stageStates": stage_states,
            "created": pipeline._created.timestamp(),
            "updated": pipeline._updated.timestamp(),
        }


def _page(
    items: list[Any], max_results: int | None, next_token: str | None
) -> tuple[list[Any], str | None]:
    start = int(next_token) if next_token and next_token.isdigit() else 0
    size = int(max_results or 100)
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


def list_pipeline_executions(
    backend: Any, name: str, max_results: int | None, next_token: str | None
) -> dict[str, Any]:
    with _lock:
        pipeline = _pipeline(backend, name)
        executions = [e for e in reversed(pipeline.executions.values()) if isinstance(e, Execution)]
        page, token = _page([e.to_summary_dict() for e in executions], max_results, next_token)
        return _prune({"pipelineExecutionSummaries": page, "nextToken": token})


def list_action_executions(
    backend: Any,
    name: str,
    execution_filter: dict[str, Any] | None,
    max_results: int | None,
    next_token: str | None,
) -> dict[str, Any]:
    with _lock:
        pipeline = _pipeline(backend, name)
        wanted = (execution_filter or {}).get("pipelineExecutionId")
        if wanted:
            _execution(backend, name, wanted)
        runs = [
            run
            for execution in pipeline.executions.values()
            if isinstance(execution, Execution) and (not wanted or execution.id == wanted)
            for run in execution.runs.values()
        ]
        runs.sort(key=lambda run: run.start_time, reverse=True)
        page, token = _page([run.detail() for run in runs], max_results, next_token)
        return _prune({"actionExecutionDetails": page, "nextToken": token})


def stop_pipeline_execution(
    backend: Any, name: str, execution_id: str, abandon: bool, reason: str | None
) -> str:
    with _lock:
        execution = _execution(backend, name, execution_id)
        # As on AWS, a stopping execution can still be abandoned.
        stoppable = execution.status == "InProgress" or (abandon and execution.status == "Stopping")
        if not stoppable:
            raise _error(
                "PipelineExecutionNotStoppableException",
                f"Pipeline execution {execution_id} is not in progress ({execution.status}) "
                "and cannot be stopped.",
            )
        if execution.status == "InProgress":
            execution.set("Stopping", reason or None)
            _emit_pipeline(execution, "STOPPING")
        for run in _in_progress(execution):
            if abandon or run.job is None:
                if run.job is not None:
                    run.job.status = "Abandoned"
                run.set("Abandoned", reason or None)
                _emit_action(run, "ABANDONED")
        _finish_stopped(execution)
        return execution.id


def _job(backend: Any, job_id: str) -> Job:
    job = _state(backend).jobs.get(job_id)
    if job is None:
        raise _error("JobNotFoundException", f"Job {job_id} not found.")
    return job


def poll_for_jobs(
    backend: Any, action_type: dict[str, str], max_batch: int | None, query: dict[str, str] | None
) -> list[dict[str, Any]]:
    with _lock:
        wanted = {key: action_type.get(key) for key in ("category", "owner", "provider", "version")}
        jobs = []
        for job in _state(backend).jobs.values():
            if job.status != "Queued":
                continue
            execution = job.run.execution
            if backend.pipelines.get(execution.name) is not execution.pipeline_model:
                job.status = "Abandoned"  # its pipeline was deleted
                continue
            have = {key: job.run.type.get(key) for key in wanted}
            if have != wanted:
                continue
            config = job.run.resolved
            if query and any(config.get(k) != v for k, v in query.items()):
                continue
            job.status = "Dispatched"
            jobs.append({**job.details(), "nonce": job.nonce})
            if len(jobs) >= int(max_batch or 1):
                break
        return jobs


def acknowledge_job(backend: Any, job_id: str, nonce: str) -> str:
    with _lock:
        job = _job(backend, job_id)
        if nonce != job.nonce:
            raise _error("InvalidNonceException", f"The nonce for job {job_id} is not valid.")
        if job.status in ("Queued", "Dispatched"):
            job.status = "InProgress"
        return job.status


def get_job_details(backend: Any, job_id: str) -> dict[str, Any]:
    with _lock:
        return _job(backend, job_id).details()


def _job_in_progress(backend: Any, job_id: str) -> Job:
    job = _job(backend, job_id)
    if job.status != "InProgress":
        raise _error(
            "InvalidJobStateException",
            f"Job {job_id} is in state {job.status}; only an acknowledged (InProgress) job "
            "accepts a result.",
        )
    return job


def put_job_success_result(
    backend: Any, job_id: str, details: dict[str, Any] | None, variables: dict[str, str] | None
) -> None:
    with _lock:
        job = _job_in_progress(backend, job_id)
        job.status = "Succeeded"
        run = job.run
        details = details or {}
        run.summary = details.get("summary", run.summary)
        run.external_id = details.get("externalExecutionId", run.external_id)
        if details.get("percentComplete") is not None:
            run.percent = int(details["percentComplete"])
        run.output_variables = dict(variables or {})
        _succeed_run(run)
        _after_run_change(backend, run.execution)


def put_job_failure_result(backend: Any, job_id: str, failure: dict[str, Any]) -> None:
    with _lock:
        job = _job_in_progress(backend, job_id)
        job.status = "Failed"
        run = job.run
        run.external_id = failure.get("externalExecutionId", run.external_id)
        _fail_run(run, str(failure.get("message", "")), str(failure.get("type", "JobFailed")))
        _after_run_change(backend, run.execution)


def put_approval_result(
    backend: Any, name: str, stage: str, action: str, result: dict[str, Any], token: str
) -> float:
    with _lock:
        pipeline = _pipeline(backend, name)
        stages = {s["name"]: s for s in pipeline.pipeline["stages"]}
        if stage not in stages:
            raise _error("StageNotFoundException", f"Stage {stage} not found in pipeline {name}.")
        if action not in {a["name"] for a in stages[stage]["actions"]}:
            raise _error("ActionNotFoundException", f"Action {action} not found in stage {stage}.")
        execution = _state(backend).stage_latest.get(name, {}).get(stage)
        if execution is not None and execution.pipeline_model is not pipeline:
            execution = None
        run = execution.runs.get((stage, action)) if execution else None
        if run is None or run.status != "InProgress" or run.token is None:
            raise _error(
                "ApprovalAlreadyCompletedException",
                f"Action {action} in stage {stage} is not awaiting approval.",
            )
        if token != run.token:
            raise _error(
                "InvalidApprovalTokenException", f"The approval token {token} is not valid."
            )
        summary = result.get("summary")
        if result.get("status") == "Approved":
            run.summary = summary
            _succeed_run(run)
        else:
            run.error = {"code": "ApprovalRejected", "message": summary or "Rejected"}
            run.set("Failed", summary)
            _emit_action(run, "FAILED")
        approved_at = _now()
        _after_run_change(backend, execution)  # type: ignore[arg-type]
        return approved_at.timestamp()


# --- wiring into moto -----------------------------------------------------------------


def _responses() -> dict[str, Any]:
    """New/replaced CodePipelineResponse methods (one per JSON operation)."""

    def backend(self: Any) -> Any:
        return self.codepipeline_backend

    def start(self: Any) -> str:
        execution_id = start_pipeline_execution(
            backend(self),
            self._get_param("name"),
            self._get_param("variables"),
            self._get_param("clientRequestToken"),
        )
        return json.dumps({"pipelineExecutionId": execution_id})

    def get_execution(self: Any) -> str:
        with _lock:
            execution = _execution(
                backend(self),
                self._get_param("pipelineName"),
                self._get_param("pipelineExecutionId"),
            )
            return json.dumps({"pipelineExecution": execution.to_dict()})

    def list_executions(self: Any) -> str:
        return json.dumps(
            list_pipeline_executions(
                backend(self),
                self._get_param("pipelineName"),
                self._get_param("maxResults"),
                self._get_param("nextToken"),
            )
        )

    def state(self: Any) -> str:
        return json.dumps(get_pipeline_state(backend(self), self._get_param("name")))

    def list_actions(self: Any) -> str:
        return json.dumps(
            list_action_executions(
                backend(self),
                self._get_param("pipelineName"),
                self._get_param("filter"),
                self._get_param("maxResults"),
                self._get_param("nextToken"),
            )
        )

    def stop(self: Any) -> str:
        execution_id = stop_pipeline_execution(
            backend(self),
            self._get_param("pipelineName"),
            self._get_param("pipelineExecutionId"),
            bool(self._get_param("abandon")),
            self._get_param("reason"),
        )
        return json.dumps({"pipelineExecutionId": execution_id})

    def poll(self: Any) -> str:
        jobs = poll_for_jobs(
            backend(self),
            self._get_param("actionTypeId") or {},
            self._get_param("maxBatchSize"),
            self._get_param("queryParam"),
        )
        return json.dumps({"jobs": jobs})

    def acknowledge(self: Any) -> str:
        status = acknowledge_job(backend(self), self._get_param("jobId"), self._get_param("nonce"))
        return json.dumps({"status": status})

    def job_details(self: Any) -> str:
        return json.dumps({"jobDetails": get_job_details(backend(self), self._get_param("jobId"))})

    def success(self: Any) -> str:
        put_job_success_result(
            backend(self),
            self._get_param("jobId"),
            self._get_param("executionDetails"),
            self._get_param("outputVariables"),
        )
        return ""

    def failure(self: Any) -> str:
        put_job_failure_result(
            backend(self), self._get_param("jobId"), self._get_param("failureDetails") or {}
        )
        return ""

    def approval(self: Any) -> str:
        approved_at = put_approval_result(
            backend(self),
            self._get_param("pipelineName"),
            self._get_param("stageName"),
            self._get_param("actionName"),
            self._get_param("result") or {},
            self._get_param("token"),
        )
        return json.dumps({"approvedAt": approved_at})

    return {
        "start_pipeline_execution": start,
        "get_pipeline_execution": get_execution,
        "list_pipeline_executions": list_executions,
        "get_pipeline_state": state,
        "list_action_executions": list_actions,
        "stop_pipeline_execution": stop,
        "poll_for_jobs": poll,
        "acknowledge_job": acknowledge,
        "get_job_details": job_details,
        "put_job_success_result": success,
        "put_job_failure_result": failure,
        "put_approval_result": approval,
    }


@fix
def codepipeline_execution_engine() -> None:
    """CodePipeline (extension): run pipelines; job, approval, state and stop APIs.

    Symptom: moto marks every execution Succeeded at once and answers
    GetPipelineState, PollForJobs, PutApprovalResult, ... with "not implemented", so
    a pipeline created by Terraform can never be run locally. See the module
    docstring for the contract and the differences from AWS.
    """
    from moto.codepipeline.responses import CodePipelineResponse

    for name, method in _responses().items():
        method.__name__ = name
        setattr(CodePipelineResponse, name, method)
