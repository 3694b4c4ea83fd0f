"""``make demo`` / ``make down`` / ``make status``: the whole platform on the emulator.

``up`` starts the emulator in the background (it must outlive this command so that
you can inspect the account), applies ``terraform/environments/local``, reads the
account back and prints a summary. ``down`` destroys and stops the emulator, leaving
no process and no state behind. Everything lives under ``.run/demo``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sys
import time

from emulator import Emulator, client, is_answering
from tools import REPO_ROOT
from tools.local_platform import EnvironmentRun, TerraformFailed
from tools.terraform import TerraformNotUsable, check_terraform
from tools.verify import run_checks

RUN_DIR = REPO_ROOT / ".run" / "demo"
EMULATOR_FILE = RUN_DIR / "emulator.json"
REGION = "eu-west-1"
NAME_PREFIX = "shop-local"


def say(message: str) -> None:
    print(message, flush=True)


def _running_emulator() -> tuple[int, str] | None:
    """(pid, endpoint) of the demo's emulator if it is alive and answering."""
    if not EMULATOR_FILE.exists():
        return None
    data = json.loads(EMULATOR_FILE.read_text())
    try:
        os.kill(data["pid"], 0)
    except ProcessLookupError:
        return None
    return (data["pid"], data["endpoint"]) if is_answering(data["endpoint"]) else None


def _stop_emulator(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.killpg(pid, signal.SIGKILL)


class Progress:
    """Turns terraform's apply/destroy output into one line per finished resource."""

    PLAN = re.compile(r"Plan: (\d+) to add, (\d+) to change, (\d+) to destroy")
    DONE = re.compile(r"^(\S+): (Creation|Destruction|Modifications) complete after (\S+)")

    def __init__(self) -> None:
        self.total = 0
        self.done = 0

    def __call__(self, line: str) -> None:
        if match := self.PLAN.search(line):
            self.total = sum(int(n) for n in match.groups())
            say(f"    terraform plans {match.group(0).removeprefix('Plan: ')}")
        elif match := self.DONE.match(line):
            self.done += 1
            width = len(str(self.total or 1))
            address, verb, took = match.group(1), match.group(2).lower(), match.group(3)
            say(f"    [{self.done:>{width}}/{self.total}] {verb:<13} {address} ({took})")
        elif line.startswith("No changes."):
            say("    no changes: the emulated account already matches the configuration")
        elif line.startswith("Error:") or line.startswith("│ Error:"):
            say(f"    {line}")


def up() -> int:
    started = time.monotonic()
    try:
        version = check_terraform()
    except TerraformNotUsable as error:
        say(f"error: {error}")
        return 2
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    say(f"==> terraform {'.'.join(map(str, version))}, provider mirror and plugin cache configured")

    running = _running_emulator()
    if running:
        pid, endpoint = running
        say(f"==> reusing the demo emulator at {endpoint} (pid {pid})")
    else:
        emulator = Emulator(log_path=RUN_DIR / "emulator.log").start()
        assert emulator.process is not None
        pid, endpoint = emulator.process.pid, emulator.endpoint
        EMULATOR_FILE.write_text(json.dumps({"pid": pid, "endpoint": endpoint}))
        say(f"==> AWS emulator (moto) started at {endpoint} (pid {pid}, log {emulator.log_path})")

    progress = Progress()
    with open(RUN_DIR / "terraform.log", "a") as log:
        run = EnvironmentRun(
            RUN_DIR / "work", {"aws_endpoint": endpoint, "region": REGION}, log=log, echo=progress
        )
        try:
            say("==> terraform init (terraform/environments/local)")
            run.init()
            say("==> terraform apply")
            run.apply()
        except TerraformFailed as error:
            say(
                f"\nerror: {error}\n\nFull log: {RUN_DIR / 'terraform.log'}. `make down` cleans up."
            )
            return 1

    say("==> verifying the deployed platform (reading the emulated account back)")
    checks = run_checks(lambda service: client(endpoint, service, REGION), NAME_PREFIX)
    for check in checks:
        say(f"    {'PASS' if check.ok else 'FAIL'}  {check.requirement}: {check.found}")
    failed = [c for c in checks if not c.ok]

    outputs = run.outputs()
    resources = run.resource_count()
    elapsed = time.monotonic() - started
    say("\n==> summary")
    say(f"    resources under management: {resources}")
    # The platform's outputs are grouped by area (network, web, sessions, ...).
    for key, area, member in (
        ("alb_url", None, None),
        ("bastion_ssh_command", None, None),
        ("db_address", None, None),
        ("sessions_table_name", "sessions", "table_name"),
        ("static_assets_bucket_name", "static_assets", "bucket_name"),
        ("product_images_file_system_id", "product_images", "file_system_id"),
        ("sns_topic_arn", "monitoring", "sns_topic_arn"),
        ("dashboard_name", None, None),
    ):
        value = outputs.get(key) if area is None else outputs.get(area, {}).get(member)
        if value is not None:
            say(f"    {key:<30} {value}")
    timing = ", ".join(f"{step} {seconds:.0f}s" for step, seconds in run.timings.seconds.items())
    say(f"    timings: {timing}; total {elapsed:.0f}s")
    say(f"    checks: {len(checks) - len(failed)} passed, {len(failed)} failed")
    say("\n    Inspect it:")
    say(f"      AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --endpoint-url {endpoint} \\")
    say(f"        --region {REGION} ec2 describe-vpcs")
    say(f"      TF_DATA_DIR={run.env['TF_DATA_DIR']} TF_VAR_aws_endpoint={endpoint} \\")
    say("        terraform -chdir=terraform/environments/local state list")
    say("    Tear it down: make down")
    return 1 if failed else 0


def down() -> int:
    running = _running_emulator()
    if running:
        pid, endpoint = running
        with open(RUN_DIR / "terraform.log", "a") as log:
            run = EnvironmentRun(
                RUN_DIR / "work",
                {"aws_endpoint": endpoint, "region": REGION},
                log=log,
                echo=Progress(),
            )
            if run.state_path.exists():
                say("==> terraform destroy")
                try:
                    run.destroy()
                except (TerraformFailed, TerraformNotUsable) as error:
                    say(f"error: {error}")
                    say(f"The emulator is left running (pid {pid}) so you can retry `make down`.")
                    return 1
                say(f"    destroyed in {run.timings.seconds['destroy']:.0f}s")
        say(f"==> stopping the emulator (pid {pid})")
        _stop_emulator(pid)
    elif EMULATOR_FILE.exists():
        # The emulator died: its in-memory account is gone, so the state is meaningless.
        _stop_emulator(json.loads(EMULATOR_FILE.read_text())["pid"])
    if RUN_DIR.exists():
        shutil.rmtree(RUN_DIR)
    say("==> nothing left: no emulator process, no state (.run/demo removed)")
    return 0


def status() -> int:
    running = _running_emulator()
    if not running:
        say("demo emulator: not running (make demo starts it)")
        return 0
    pid, endpoint = running
    run = EnvironmentRun(RUN_DIR / "work", {"aws_endpoint": endpoint, "region": REGION})
    count = run.resource_count()
    say(f"demo emulator: running at {endpoint} (pid {pid}); {count} resources in state")
    return 0


def _main(argv: list[str]) -> int:
    commands = {"up": up, "down": down, "status": status}
    if len(argv) != 2 or argv[1] not in commands:
        say("usage: python -m tools.demo up|down|status")
        return 2
    return commands[argv[1]]()


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
