"""``make pipeline`` / ``make pipeline-approve``: the delivery pipeline, run offline.

The emulator stores the pipeline that terraform/bootstrap creates and, through its
execution extension (emulator/moto_compat), runs it: it moves the stages and
artifacts, holds approvals and emits EventBridge events. This module is the part AWS
CodeBuild plays: it takes the pipeline's CodeBuild jobs (PollForJobs), runs the real
buildspec of each with the variables its project and action define (tools/buildspec),
and reports the result (PutJobSuccessResult / PutJobFailureResult). Everything goes
through real CodePipeline, CodeBuild and S3 API calls.

``run``: start (or reuse) the pipeline's own emulator, apply terraform/bootstrap on it
with ``environments = ["local"]``, upload the current checkout as source.zip, start
an execution and work its jobs, printing each stage with its time, until it ends.
At the approval it waits for ``make pipeline-approve`` (or the portal).
``approve``: approve (or ``--reject``) the approval that is waiting.
``down``: stop the pipeline's emulator.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulator import Emulator, client, is_answering
from emulator.server import FAKE_KEY
from tools import REPO_ROOT, TERRAFORM_DIR
from tools import buildspec as buildspecs
from tools.local_platform import EnvironmentRun, TerraformFailed
from tools.terraform import terraform_env

RUN_DIR = REPO_ROOT / ".run" / "pipeline"
EMULATOR_FILE = RUN_DIR / "emulator.json"
REGION = "eu-west-1"
ENVIRONMENTS = ["local"]
CODEBUILD_ACTION = {"owner": "AWS", "provider": "CodeBuild", "version": "1"}
POLL_SECONDS = 1.0
# Files of the checkout that are not source: never packed into source.zip.
NOT_SOURCE = (".git/", ".venv/", ".cache/", ".run/", ".terraform/", "__pycache__/")


def say(message: str) -> None:
    print(message, flush=True)


Client = Callable[[str], Any]


# --- the pipeline's emulator and bootstrap ---------------------------------------


def running_emulator() -> str | None:
    if not EMULATOR_FILE.exists():
        return None
    endpoint = str(json.loads(EMULATOR_FILE.read_text())["endpoint"])
    return endpoint if is_answering(endpoint) else None


def start_emulator() -> str:
    endpoint = running_emulator()
    if endpoint:
        say(f"==> reusing the pipeline's emulator at {endpoint}")
        return endpoint
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    emulator = Emulator(log_path=RUN_DIR / "emulator.log").start()
    assert emulator.process is not None
    EMULATOR_FILE.write_text(
        json.dumps({"pid": emulator.process.pid, "endpoint": emulator.endpoint})
    )
    say(f"==> AWS emulator started at {emulator.endpoint} (log {emulator.log_path})")
    return emulator.endpoint


def bootstrap(endpoint: str, workdir: Path, environments: list[str]) -> dict[str, Any]:
    """Apply terraform/bootstrap on the emulator; returns its outputs."""
    workdir.mkdir(parents=True, exist_ok=True)
    with open(workdir / "terraform.log", "a") as log:
        run = EnvironmentRun(
            workdir,
            {"aws_endpoint": endpoint, "region": REGION, "environments": json.dumps(environments)},
            log=log,
            config_dir=TERRAFORM_DIR / "bootstrap",
        )
        run.init()
        run.apply()
        return run.outputs()


# --- source -------------------------------------------------------------------------


def checkout_files(root: Path) -> list[str]:
    """Tracked and untracked-but-not-ignored files: what a push of this checkout holds."""
    listed = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        check=True,
        capture_output=True,
    ).stdout.decode()
    return sorted(
        name
        for name in listed.split("\0")
        if name and (root / name).is_file() and not name.startswith(NOT_SOURCE)
    )


def pack_source(root: Path, destination: Path) -> int:
    """Zip the checkout (fixed timestamps: the same tree gives the same zip)."""
    files = checkout_files(root)
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in files:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = ((root / name).stat().st_mode & 0o777) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (root / name).read_bytes())
    return len(files)


def unpack(archive: Path, target: Path) -> None:
    """Unzip as unzip (and CodeBuild) does: keep modes (executable scripts) and
    timestamps (make compares them)."""
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(target)
        for info in opened.infolist():
            path = target / info.filename
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                path.chmod(mode)
            stamp = time.mktime((*info.date_time, 0, 0, -1))
            os.utime(path, (stamp, stamp))


# --- the CodeBuild part ----------------------------------------------------------


@dataclass
class Job:
    """One CodeBuild action of an execution, as PollForJobs hands it out."""

    id: str
    data: dict[str, Any]

    @property
    def stage(self) -> str:
        return str(self.data["pipelineContext"]["stage"]["name"])

    @property
    def configuration(self) -> dict[str, str]:
        return dict(self.data["actionConfiguration"]["configuration"])


@dataclass
class Worker:
    """Runs CodeBuild jobs locally with the project's buildspec and variables."""

    aws: Client
    endpoint: str
    workdir: Path
    echo: Callable[[str], None] = say
    timings: dict[str, float] = field(default_factory=dict)

    def poll(self) -> Job | None:
        codepipeline = self.aws("codepipeline")
        for category in ("Build", "Test"):
            jobs = codepipeline.poll_for_jobs(
                actionTypeId={"category": category, **CODEBUILD_ACTION}, maxBatchSize=1
            )["jobs"]
            if jobs:
                job = jobs[0]
                codepipeline.acknowledge_job(jobId=job["id"], nonce=job["nonce"])
                return Job(job["id"], job["data"])
        return None

    def work_until(self, condition: Callable[[], bool], timeout: float) -> None:
        """Run jobs as they come until ``condition()`` holds (tests, scripts)."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"the pipeline did not get there within {timeout:.0f} s")
            job = self.poll()
            if job:
                self.run(job)
            else:
                time.sleep(POLL_SECONDS)

    def artifact_client(self, job: Job) -> Any:
        """S3 with the job's artifact credentials, as CodeBuild gets them."""
        import boto3

        credentials = job.data.get("artifactCredentials") or {}
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=credentials.get("accessKeyId", FAKE_KEY),
            aws_secret_access_key=credentials.get("secretAccessKey", FAKE_KEY),
            aws_session_token=credentials.get("sessionToken"),
        )

    def run(self, job: Job) -> None:
        started = time.monotonic()
        codepipeline = self.aws("codepipeline")
        build_id = f"{job.configuration['ProjectName']}:{uuid.uuid4()}"
        try:
            result = self._build(job, build_id)
        except Exception as error:  # noqa: BLE001 - any failure fails the action, visibly
            result = buildspecs.BuildResult(
                succeeded=False, failure=f"{type(error).__name__}: {error}"
            )
        self.timings[job.stage] = time.monotonic() - started
        if result.succeeded:
            codepipeline.put_job_success_result(
                jobId=job.id,
                executionDetails={"summary": "build succeeded", "externalExecutionId": build_id},
                **({"outputVariables": result.exported} if result.exported else {}),
            )
        else:
            codepipeline.put_job_failure_result(
                jobId=job.id,
                failureDetails={
                    "type": "JobFailed",
                    "message": result.failure[:4000] or "build failed",
                    "externalExecutionId": build_id,
                },
            )

    def _build(self, job: Job, build_id: str) -> buildspecs.BuildResult:
        project = self.aws("codebuild").batch_get_projects(
            names=[job.configuration["ProjectName"]]
        )["projects"][0]
        s3 = self.artifact_client(job)
        build_dir = Path(tempfile.mkdtemp(prefix="build-", dir=self.workdir))
        inputs = job.data["inputArtifacts"]
        primary_name = job.configuration.get("PrimarySource") or inputs[0]["name"]
        variables = {
            **{
                v["name"]: v["value"]
                for v in project["environment"].get("environmentVariables", [])
            },
            **{
                v["name"]: v["value"]
                for v in json.loads(job.configuration.get("EnvironmentVariables") or "[]")
            },
        }
        source_dirs: dict[str, Path] = {}
        for artifact in inputs:
            target = build_dir / ("src" if artifact["name"] == primary_name else artifact["name"])
            location = artifact["location"]["s3Location"]
            archive = build_dir / f"{artifact['name']}.zip"
            s3.download_file(location["bucketName"], location["objectKey"], str(archive))
            unpack(archive, target)
            source_dirs[artifact["name"]] = target
        source = source_dirs[primary_name]
        credentials = job.data.get("artifactCredentials") or {}
        codebuild_env = {
            "CODEBUILD_BUILD_ID": build_id,
            "CODEBUILD_SRC_DIR": str(source),
            "CODEBUILD_RESOLVED_SOURCE_VERSION": str(inputs[0].get("revision") or ""),
            "CODEBUILD_INITIATOR": f"codepipeline/{job.data['pipelineContext']['pipelineName']}",
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": credentials.get("accessKeyId", FAKE_KEY),
            "AWS_SECRET_ACCESS_KEY": credentials.get("secretAccessKey", FAKE_KEY),
            **{
                f"CODEBUILD_SRC_DIR_{name}": str(path)
                for name, path in source_dirs.items()
                if name != primary_name
            },
        }
        env = buildspecs.child_environment({**variables, **codebuild_env})
        # Terraform's CLI config of this machine (provider mirror): part of the local
        # toolchain, like the terraform binary itself.
        env.update({k: v for k, v in terraform_env().items() if k == "TF_CLI_CONFIG_FILE"})
        spec = source / project["source"]["buildspec"]
        log_path = self.workdir / f"{job.stage}.log"
        with open(log_path, "w") as log:

            def echo(line: str) -> None:
                log.write(line + "\n")
                log.flush()
                self.echo(f"    │ {line}")

            result = buildspecs.run(spec, source, env, echo)
            outputs = job.data.get("outputArtifacts") or []
            if result.succeeded and outputs:
                archive = build_dir / "output.zip"
                count = buildspecs.package_artifacts(spec, source, archive)
                location = outputs[0]["location"]["s3Location"]
                s3.upload_file(str(archive), location["bucketName"], location["objectKey"])
                echo(
                    f"[artifacts] {count} files -> s3://{location['bucketName']}/{location['objectKey']}"
                )
        return result


# --- following an execution ------------------------------------------------------


def stage_states(aws: Client, pipeline: str) -> list[dict[str, Any]]:
    return list(aws("codepipeline").get_pipeline_state(name=pipeline)["stageStates"])


def waiting_approval(aws: Client, pipeline: str, execution_id: str) -> dict[str, Any] | None:
    """The approval action waiting for a person in this execution, if any."""
    for stage in stage_states(aws, pipeline):
        if (stage.get("latestExecution") or {}).get("pipelineExecutionId") != execution_id:
            continue
        for action in stage.get("actionStates", []):
            latest = action.get("latestExecution") or {}
            if latest.get("status") == "InProgress" and latest.get("token"):
                return {"stage": stage["stageName"], "action": action["actionName"], **latest}
    return None


def follow(aws: Client, pipeline: str, execution_id: str, worker: Worker) -> str:
    """Work the execution's jobs until it ends; prints stage changes with timings."""
    codepipeline = aws("codepipeline")
    seen: dict[str, str] = {}
    started: dict[str, float] = {}
    announced_approval = ""
    while True:
        status = codepipeline.get_pipeline_execution(
            pipelineName=pipeline, pipelineExecutionId=execution_id
        )["pipelineExecution"]["status"]
        for stage in stage_states(aws, pipeline):
            latest = stage.get("latestExecution") or {}
            if latest.get("pipelineExecutionId") != execution_id:
                continue
            name, state = stage["stageName"], latest["status"]
            if seen.get(name) != state:
                if state == "InProgress":
                    started[name] = time.monotonic()
                    say(f"==> {name}: started")
                else:
                    # A stage that ended before we saw it start (Source) took ~0 s here.
                    took = max(0.0, time.monotonic() - started.get(name, time.monotonic()))
                    worker.timings.setdefault(name, took)
                    say(f"==> {name}: {state} ({took:.1f} s)")
                seen[name] = state
        if status != "InProgress" and status != "Stopping":
            return str(status)
        job = worker.poll()
        if job:
            worker.run(job)
            continue
        approval = waiting_approval(aws, pipeline, execution_id)
        if approval and approval["token"] != announced_approval:
            announced_approval = approval["token"]
            say(
                f"    waiting for approval of {approval['stage']}: run `make pipeline-approve` "
                "(or `make pipeline-approve REJECT=1`), or approve in the portal"
            )
        time.sleep(POLL_SECONDS)


def print_summary(aws: Client, pipeline: str, execution_id: str, timings: dict[str, float]) -> None:
    say("\nstage timings:")
    for stage in stage_states(aws, pipeline):
        name = stage["stageName"]
        state = (stage.get("latestExecution") or {}).get("status", "-")
        say(f"  {name:<16} {state:<11} {timings.get(name, 0.0):7.1f} s")


@contextmanager
def pipeline_context(endpoint: str | None) -> Iterator[tuple[Client, str]]:
    endpoint = endpoint or running_emulator()
    if not endpoint:
        raise SystemExit("no pipeline emulator runs: start one with `make pipeline`")
    yield (lambda service: client(endpoint, service, REGION)), endpoint


def run(endpoint: str | None = None, environments: list[str] | None = None) -> int:
    wall = time.monotonic()
    environments = environments or ENVIRONMENTS
    endpoint = endpoint or start_emulator()
    aws: Client = lambda service: client(endpoint, service, REGION)  # noqa: E731
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    say(f"==> terraform apply of terraform/bootstrap (environments {environments})")
    t = time.monotonic()
    try:
        outputs = bootstrap(endpoint, RUN_DIR / "bootstrap", environments)
    except TerraformFailed as error:
        say(f"error: {error}\nfull log: {RUN_DIR / 'bootstrap' / 'terraform.log'}")
        return 1
    pipeline = outputs["pipeline"]
    took = time.monotonic() - t
    say(f"    bootstrap applied in {took:.1f} s: pipeline {pipeline['pipeline_name']}")
    with tempfile.TemporaryDirectory(prefix="pipeline-", dir=RUN_DIR) as workdir:
        archive = Path(workdir) / "source.zip"
        count = pack_source(REPO_ROOT, archive)
        aws("s3").upload_file(
            str(archive), pipeline["source_bucket"], pipeline["source_object_key"]
        )
        say(
            f"==> uploaded the checkout ({count} files) to s3://{pipeline['source_bucket']}/{pipeline['source_object_key']}"
        )
        # On AWS the source bucket's EventBridge rule starts the pipeline; here we do.
        execution_id = aws("codepipeline").start_pipeline_execution(name=pipeline["pipeline_name"])[
            "pipelineExecutionId"
        ]
        say(f"==> execution {execution_id} started")
        worker = Worker(aws, endpoint, Path(workdir))
        status = follow(aws, pipeline["pipeline_name"], execution_id, worker)
        print_summary(aws, pipeline["pipeline_name"], execution_id, worker.timings)
    say(f"\n==> execution {execution_id}: {status} in {time.monotonic() - wall:.0f} s")
    return 0 if status == "Succeeded" else 1


def approve(reject: bool, summary: str, endpoint: str | None = None) -> int:
    with pipeline_context(endpoint) as (aws, _):
        codepipeline = aws("codepipeline")
        for name in [p["name"] for p in codepipeline.list_pipelines()["pipelines"]]:
            executions = codepipeline.list_pipeline_executions(pipelineName=name)[
                "pipelineExecutionSummaries"
            ]
            for execution in executions:
                if execution["status"] != "InProgress":
                    continue
                approval = waiting_approval(aws, name, execution["pipelineExecutionId"])
                if approval:
                    codepipeline.put_approval_result(
                        pipelineName=name,
                        stageName=approval["stage"],
                        actionName=approval["action"],
                        result={"summary": summary, "status": "Rejected" if reject else "Approved"},
                        token=approval["token"],
                    )
                    say(f"{'rejected' if reject else 'approved'}: {name} {approval['stage']}")
                    return 0
        say("no approval is waiting")
        return 1


def down() -> int:
    if not EMULATOR_FILE.exists():
        say("the pipeline's emulator is not running")
        return 0
    pid = int(json.loads(EMULATOR_FILE.read_text())["pid"])
    from tools.demo import _stop_emulator

    _stop_emulator(pid)
    EMULATOR_FILE.unlink()
    for state in (RUN_DIR / "bootstrap").glob("terraform.tfstate*"):
        state.unlink()
    say("stopped the pipeline's emulator; its state is gone with it")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.pipeline")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="apply bootstrap on the emulator and run the pipeline")
    approve_parser = commands.add_parser("approve", help="approve the waiting approval")
    approve_parser.add_argument("--reject", action="store_true")
    approve_parser.add_argument(
        "--summary", default=f"by {os.environ.get('USER', 'someone')} (make pipeline-approve)"
    )
    commands.add_parser("down", help="stop the pipeline's emulator")
    args = parser.parse_args(argv)
    if args.command == "run":
        return run()
    if args.command == "approve":
        return approve(args.reject, args.summary)
    return down()


if __name__ == "__main__":
    sys.exit(main())
