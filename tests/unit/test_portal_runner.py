"""The Terraform process runner: live lines, two-step cancel, phase deadline."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from worker.runner import Control, run_streaming

ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}


def run(
    script: str | list[str],
    tmp_path: Path,
    control: Control | None = None,
    deadline: float = 30,
    kill_grace: float = 1.0,
    on_start=None,
):
    batches: list[list[str]] = []
    control = control or Control()

    def collect(lines: list[str]) -> None:
        batches.append(lines)
        if on_start:
            on_start(lines, control)

    outcome = run_streaming(
        ["sh", "-c", script] if isinstance(script, str) else script,
        cwd=tmp_path,
        env=ENV,
        on_lines=collect,
        control=control,
        deadline=time.monotonic() + deadline,
        kill_grace=kill_grace,
    )
    return outcome, [line for batch in batches for line in batch]


def test_every_line_arrives_in_order_with_stderr_merged(tmp_path: Path) -> None:
    outcome, lines = run("for i in 1 2 3; do echo out $i; echo err $i >&2; done; exit 3", tmp_path)
    assert outcome.returncode == 3 and not outcome.interrupted
    assert lines == ["out 1", "err 1", "out 2", "err 2", "out 3", "err 3"]


def test_lines_are_delivered_while_the_process_still_runs(tmp_path: Path) -> None:
    # The process waits for a file that only the line callback creates: it can finish only
    # if "first" reached us while it was still running.
    script = "echo first; while [ ! -f go ]; do sleep 0.05; done; echo second"

    def release(lines: list[str], _control: Control) -> None:
        if "first" in lines:
            (tmp_path / "go").touch()

    outcome, lines = run(script, tmp_path, on_start=release)
    assert outcome.returncode == 0 and not outcome.timed_out
    assert lines == ["first", "second"]


def test_cancel_sends_an_interrupt_that_a_well_behaved_process_honours(tmp_path: Path) -> None:
    # Python's handler runs as soon as the signal arrives (a shell's trap waits for its
    # current command), like Terraform's own interrupt handling.
    program = (
        "import signal, sys, time\n"
        "def stop(*_):\n"
        "    print('interrupted', flush=True)\n"
        "    sys.exit(130)\n"
        "signal.signal(signal.SIGINT, stop)\n"
        "print('ready', flush=True)\n"
        "time.sleep(600)\n"
    )

    def cancel_when_ready(lines: list[str], control: Control) -> None:
        if "ready" in lines:
            control.request_interrupt("cancelled by a user")

    # Generous limits: the test waits for the exit, and neither the phase deadline nor
    # the kill grace can run out first on a busy machine.
    outcome, lines = run(
        [sys.executable, "-c", program],
        tmp_path,
        on_start=cancel_when_ready,
        deadline=300,
        kill_grace=300,
    )
    assert outcome.interrupted and not outcome.killed and not outcome.timed_out
    assert outcome.returncode == 130
    assert outcome.reason == "cancelled by a user"
    assert "interrupted" in lines


def test_force_kill_stops_a_process_that_ignores_interrupts(tmp_path: Path) -> None:
    script = "trap '' INT; echo ready; while true; do sleep 0.1; done"

    def escalate(lines: list[str], control: Control) -> None:
        if "ready" in lines:
            control.request_kill("force-cancelled by a user")

    # A force cancel does not wait for the interrupt grace: with a grace of 120 s, the
    # process is gone long before it would have run out.
    started = time.monotonic()
    outcome, _ = run(script, tmp_path, on_start=escalate, deadline=300, kill_grace=120)
    assert outcome.killed and outcome.returncode == -9
    assert time.monotonic() - started < 120


def test_deadline_interrupts_then_kills_after_the_grace_period(tmp_path: Path) -> None:
    outcome, _ = run(
        "trap '' INT; while true; do sleep 0.1; done", tmp_path, deadline=0.5, kill_grace=0.5
    )
    assert outcome.timed_out and outcome.interrupted and outcome.killed
    assert outcome.reason == "the phase timeout was reached"
