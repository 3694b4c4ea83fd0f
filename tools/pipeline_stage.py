"""What the pipeline's Plan, Apply and Smoke builds run (``make ci-plan`` etc.).

Runs inside a CodeBuild build (or the local executor, ``make pipeline``) from the
source root, with the variables the pipeline module gives every build (PROJECT,
STATE_BUCKET, STATE_KMS_KEY_ARN, ENVIRONMENTS_DIR, ARTIFACTS_BUCKET, PLAN_REVIEW_URL)
and the action's TARGET_ENVIRONMENT.

- ``plan``: ``terraform plan -out`` against the environment's state in the state
  bucket; writes the saved plan, its JSON, text and SHA-256 to .pipeline/plan (the
  output artifact), puts the text in the artifacts bucket for reviewers, and writes
  PLAN_SUMMARY / PLAN_REVIEW_LINK to .pipeline/plan.env (exported variables).
- ``apply``: checks the saved plan's SHA-256 and applies exactly it. Terraform itself
  refuses a plan whose state changed since ("Saved plan is stale"); the stage says
  what that means. Never plans again.
- ``smoke``: GET <alb_url>/health through the load balancer until it answers 200; on
  the emulator, where no instance boots, the read-back checks of ``make demo``.

Every environment keeps its state in the state bucket under <environment>/. A root
that declares another backend (the emulator's local root declares "local" for
``make demo``) gets a ``backend_override.tf`` in the build's copy of the source,
Terraform's documented override mechanism, so that Plan and Apply (two builds on two
machines) share the state.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

PLAN_DIR = Path(".pipeline/plan")
PLAN_ENV = Path(".pipeline/plan.env")
PLAN_FILES = ("tfplan", "tfplan.json", "tfplan.txt", "tfplan.sha256", "plan.meta.json")
STALE_PLAN = "Saved plan is stale"
HEALTH_DEADLINE_SECONDS = 600


class StageError(RuntimeError):
    """The stage cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Build:
    """The build's settings, read from its environment variables."""

    environment: str
    root: Path
    state_bucket: str
    state_kms_key_arn: str
    region: str
    artifacts_bucket: str
    plan_review_url: str
    endpoint: str

    @classmethod
    def from_env(cls, env: dict[str, str]) -> Build:
        missing = [
            name
            for name in ("TARGET_ENVIRONMENT", "STATE_BUCKET", "STATE_KMS_KEY_ARN")
            if not env.get(name)
        ]
        if missing:
            raise StageError(
                f"{', '.join(missing)} not set: the pipeline module sets them on every build "
                "(terraform/modules/pipeline); locally, `make pipeline` does."
            )
        environment = env["TARGET_ENVIRONMENT"]
        root = Path(env.get("ENVIRONMENTS_DIR", "terraform/environments")) / environment
        if not (root / "versions.tf").is_file():
            raise StageError(
                f"TARGET_ENVIRONMENT={environment}: no Terraform root at {root}; "
                "the pipeline's environments must be directories there."
            )
        return cls(
            environment=environment,
            root=root,
            state_bucket=env["STATE_BUCKET"],
            state_kms_key_arn=env["STATE_KMS_KEY_ARN"],
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "eu-west-1",
            artifacts_bucket=env.get("ARTIFACTS_BUCKET", ""),
            plan_review_url=env.get("PLAN_REVIEW_URL", ""),
            endpoint=env.get("AWS_ENDPOINT_URL", ""),
        )

    @property
    def emulated(self) -> bool:
        return self.endpoint != ""


def terraform(build: Build, *args: str, capture: bool = False) -> str:
    """Run terraform in the root; returns stdout when ``capture``, else streams it.

    Streamed output is also kept, so that an error names what Terraform said.
    """
    command = ["terraform", f"-chdir={build.root}", *args]
    print(f"+ {' '.join(command)}", flush=True)
    if capture:
        result = subprocess.run(  # noqa: S603 - fixed binary, our own arguments
            command, check=False, text=True, capture_output=True
        )
        if result.returncode != 0:
            raise TerraformError(command, result.returncode, result.stderr)
        return result.stdout
    process = subprocess.Popen(  # noqa: S603 - fixed binary, our own arguments
        command, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    assert process.stdout is not None
    kept: list[str] = []
    for line in process.stdout:
        print(line, end="", flush=True)
        kept.append(line)
    if process.wait() != 0:
        raise TerraformError(command, process.returncode, "".join(kept[-30:]))
    return ""


class TerraformError(StageError):
    def __init__(self, command: list[str], returncode: int, detail: str):
        super().__init__(f"`{' '.join(command)}` exited with {returncode}\n{detail}".rstrip())
        self.detail = detail


def declared_backend(root: Path) -> str | None:
    """The backend type the root's configuration declares, if any."""
    for path in sorted(root.glob("*.tf")):
        match = re.search(r'^\s*backend\s+"([a-z0-9_]+)"', path.read_text(), re.MULTILINE)
        if match:
            return match.group(1)
    return None


def init(build: Build) -> None:
    """terraform init with the environment's state in the state bucket."""
    if declared_backend(build.root) != "s3":
        override = build.root / "backend_override.tf"
        override.write_text(
            "# Written by tools/pipeline_stage.py in the build's copy of the source: the\n"
            "# pipeline keeps every environment's state in the state bucket.\n"
            'terraform {\n  backend "s3" {}\n}\n'
        )
        print(f"pipeline: {build.root} declares another backend; using S3 via {override.name}")
    settings = {
        "bucket": build.state_bucket,
        "key": f"{build.environment}/terraform.tfstate",
        "region": build.region,
        "encrypt": True,
        "kms_key_id": build.state_kms_key_arn,
        "use_lockfile": True,
    }
    if build.emulated:
        # The same contract as the roots' aws_endpoint variable: fake keys, no checks
        # against AWS, path-style S3 addressing.
        settings.update(
            {
                "endpoints": {"s3": build.endpoint, "sts": build.endpoint},
                "use_path_style": True,
                "skip_credentials_validation": True,
                "skip_requesting_account_id": True,
                "skip_metadata_api_check": True,
                "skip_region_validation": True,
            }
        )
    backend_file = Path(".pipeline/backend.s3.tfbackend").resolve()
    backend_file.parent.mkdir(parents=True, exist_ok=True)
    backend_file.write_text("".join(f"{key} = {hcl(value)}\n" for key, value in settings.items()))
    terraform(build, "init", "-input=false", "-no-color", f"-backend-config={backend_file}")


def hcl(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {hcl(item)}" for key, item in value.items()) + " }"
    return json.dumps(value)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def summarize(plan_json: dict) -> str:
    counts = {"create": 0, "update": 0, "delete": 0}
    for change in plan_json.get("resource_changes", []):
        actions = change["change"]["actions"]
        for action in counts:
            if action in actions:
                counts[action] += 1
    return f"{counts['create']} to add, {counts['update']} to change, {counts['delete']} to destroy"


def plan(build: Build) -> None:
    init(build)
    PLAN_DIR.mkdir(parents=True, exist_ok=True)
    saved = (PLAN_DIR / "tfplan").resolve()
    terraform(build, "plan", "-input=false", "-no-color", "-lock-timeout=5m", f"-out={saved}")
    plan_json = json.loads(terraform(build, "show", "-json", str(saved), capture=True))
    (PLAN_DIR / "tfplan.json").write_text(json.dumps(plan_json))
    text = terraform(build, "show", "-no-color", str(saved), capture=True)
    (PLAN_DIR / "tfplan.txt").write_text(text)
    (PLAN_DIR / "tfplan.sha256").write_text(f"{sha256(saved)}  tfplan\n")
    summary = summarize(plan_json)
    (PLAN_DIR / "plan.meta.json").write_text(
        json.dumps(
            {
                "environment": build.environment,
                "summary": summary,
                "source_revision": os.environ.get("CODEBUILD_RESOLVED_SOURCE_VERSION", ""),
                "build_id": os.environ.get("CODEBUILD_BUILD_ID", ""),
            }
        )
    )
    link = publish_plan_text(build, text)
    PLAN_ENV.write_text(
        f"export PLAN_SUMMARY={shell_quote(summary)}\n"
        + f"export PLAN_REVIEW_LINK={shell_quote(link)}\n"
    )
    print(f"pipeline: plan of {build.environment}: {summary}; review: {link}")


def shell_quote(value: str) -> str:
    return "'" + value.replace("'", "'\"'\"'") + "'"


def publish_plan_text(build: Build, text: str) -> str:
    """Put the readable plan where reviewers can open it; returns the review link."""
    build_id = os.environ.get("CODEBUILD_BUILD_ID", "local").replace(":", "-")
    key = f"plans/{build.environment}/{build_id}.txt"
    if build.artifacts_bucket:
        import boto3

        boto3.client("s3", region_name=build.region).put_object(
            Bucket=build.artifacts_bucket,
            Key=key,
            Body=text.encode(),
            ContentType="text/plain; charset=utf-8",
        )
    if build.plan_review_url:
        return f"{build.plan_review_url.rstrip('/')}/pipeline"
    return (
        f"https://{build.region}.console.aws.amazon.com/s3/object/"
        f"{build.artifacts_bucket}?region={build.region}&prefix={key}"
    )


def plan_artifact_dir(build: Build, env: dict[str, str]) -> Path:
    """Where CodeBuild unpacked the Plan stage's artifact (a secondary source)."""
    name = f"CODEBUILD_SRC_DIR_plan_{build.environment}"
    if not env.get(name):
        raise StageError(
            f"{name} not set: the Apply action must take plan_{build.environment} as a second "
            "input artifact (terraform/modules/pipeline does)."
        )
    return Path(env[name])


def apply(build: Build, env: dict[str, str]) -> None:
    artifact = plan_artifact_dir(build, env)
    missing = [name for name in PLAN_FILES if not (artifact / name).is_file()]
    if missing:
        raise StageError(f"the plan artifact at {artifact} lacks {', '.join(missing)}")
    meta = json.loads((artifact / "plan.meta.json").read_text())
    if meta["environment"] != build.environment:
        raise StageError(
            f"the plan artifact is for {meta['environment']}, "
            f"this stage applies {build.environment}"
        )
    expected = (artifact / "tfplan.sha256").read_text().split()[0]
    actual = sha256(artifact / "tfplan")
    if actual != expected:
        raise StageError(
            f"the saved plan's SHA-256 is {actual}, the Plan stage recorded {expected}: "
            "the artifact was changed after the plan; nothing was applied."
        )
    print(
        f"pipeline: saved plan of {build.environment} checked (sha256 {actual}): {meta['summary']}"
    )
    init(build)
    try:
        terraform(
            build,
            "apply",
            "-input=false",
            "-no-color",
            "-lock-timeout=5m",
            str((artifact / "tfplan").resolve()),
        )
    except TerraformError as error:
        if STALE_PLAN in error.detail:
            raise StageError(
                f"the state of {build.environment} changed after this plan was made, so Terraform "
                "refused the stale plan and applied nothing. "
                "Run the pipeline again for a fresh plan."
            ) from error
        raise


def smoke(build: Build) -> None:
    init(build)
    outputs = json.loads(terraform(build, "output", "-json", capture=True))
    if "alb_url" not in outputs:
        raise StageError(f"{build.root} has no alb_url output to smoke-test")
    if build.emulated:
        # No instance boots on the emulator: read the platform back instead.
        from emulator import client
        from tools.verify import run_checks

        prefix = f"{os.environ.get('PROJECT', 'shop')}-{build.environment}"
        checks = run_checks(lambda service: client(build.endpoint, service, build.region), prefix)
        for check in checks:
            print(f"  [{'ok' if check.ok else 'FAIL'}] {check.requirement}: {check.found}")
        failed = [check for check in checks if not check.ok]
        if failed:
            raise StageError(f"{len(failed)} of {len(checks)} read-back checks failed")
        print(f"pipeline: smoke of {build.environment}: {len(checks)} read-back checks passed")
        return
    url = f"{outputs['alb_url']['value'].rstrip('/')}/health"
    deadline = time.monotonic() + HEALTH_DEADLINE_SECONDS
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our ALB
                if response.status == 200:
                    print(f"pipeline: smoke of {build.environment}: {url} answered 200")
                    return
                last = f"HTTP {response.status}"
        except (urllib.error.URLError, OSError) as error:
            last = str(error)
        # New instances take a few minutes to pass the target group's health check.
        time.sleep(10)
    raise StageError(f"{url} did not answer 200 within {HEALTH_DEADLINE_SECONDS} s (last: {last})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.pipeline_stage", description=__doc__.split("\n")[0]
    )
    parser.add_argument("stage", choices=["plan", "apply", "smoke"])
    args = parser.parse_args(argv)
    env = dict(os.environ)
    try:
        build = Build.from_env(env)
        if args.stage == "plan":
            plan(build)
        elif args.stage == "apply":
            apply(build, env)
        else:
            smoke(build)
    except StageError as error:
        print(f"pipeline: {args.stage} failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
