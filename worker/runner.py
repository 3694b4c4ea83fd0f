"""Run one Terraform command with live output, heartbeats, cancellation and a deadline.

Cancellation is two-step, like HCP Terraform: first SIGINT, which makes Terraform stop
after the current operations and release its state lock; SIGKILL only when a force
cancel is requested after the grace period, or when the phase deadline has passed and
the interrupt was ignored.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """If the worker process is killed (even SIGKILL), Linux interrupts Terraform too,
    instead of leaving an orphan that keeps changing infrastructure."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGINT)


@dataclass
class Control:
    """Flags set by the heartbeat thread, read by the output loop."""

    interrupt: bool = False
    kill: bool = False
    reason: str = ""
    lost: bool = False  # the run was taken away from us (reaped or force-unlocked)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request_interrupt(self, reason: str) -> None:
        with self.lock:
            if not self.interrupt:
                self.interrupt, self.reason = True, reason

    def request_kill(self, reason: str) -> None:
        with self.lock:
            self.interrupt = self.kill = True
            self.reason = self.reason or reason


@dataclass
class Outcome:
    returncode: int
    interrupted: bool
    killed: bool
    timed_out: bool
    reason: str


def run_streaming(
    argv: list[str],
    *,
    cwd: Path,
    env: dict[str, str],
    on_lines: Callable[[list[str]], None],
    control: Control,
    deadline: float,
    kill_grace: float,
    flush_interval: float = 0.1,
) -> Outcome:
    """Run ``argv``; batches of output lines go to ``on_lines`` about every 100 ms."""
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for raw in iter(process.stdout.readline, b""):
            lines.put(raw.decode("utf-8", errors="replace").rstrip("\r\n"))
        lines.put(None)

    reader = threading.Thread(target=read, name="terraform-output", daemon=True)
    reader.start()
    try:
        return _follow(
            process, lines, reader, on_lines, control, deadline, kill_grace, flush_interval
        )
    except BaseException:
        # The task itself is being stopped (time limit, worker shutdown): never leave
        # Terraform running unattended.
        _signal(process, signal.SIGINT)
        try:
            process.wait(kill_grace)
        except subprocess.TimeoutExpired:
            _signal(process, signal.SIGKILL)
        raise


def _follow(
    process: subprocess.Popen,
    lines: queue.Queue[str | None],
    reader: threading.Thread,
    on_lines: Callable[[list[str]], None],
    control: Control,
    deadline: float,
    kill_grace: float,
    flush_interval: float,
) -> Outcome:
    sent_interrupt_at: float | None = None
    killed = timed_out = False
    finished_reading = False
    while not finished_reading:
        batch: list[str] = []
        flush_at = time.monotonic() + flush_interval
        while time.monotonic() < flush_at:
            try:
                item = lines.get(timeout=max(flush_at - time.monotonic(), 0.001))
            except queue.Empty:
                break
            if item is None:
                finished_reading = True
                break
            batch.append(item)
            if len(batch) >= 200:
                break
        if batch:
            on_lines(batch)
        now = time.monotonic()
        if now > deadline and not timed_out:
            timed_out = True
            control.request_interrupt("the phase timeout was reached")
        if control.interrupt and sent_interrupt_at is None and process.poll() is None:
            sent_interrupt_at = now
            _signal(process, signal.SIGINT)
        overdue = sent_interrupt_at is not None and now - sent_interrupt_at > kill_grace
        if (control.kill or (timed_out and overdue)) and not killed and process.poll() is None:
            killed = True
            _signal(process, signal.SIGKILL)
    returncode = process.wait()
    reader.join(timeout=5)
    return Outcome(returncode, sent_interrupt_at is not None, killed, timed_out, control.reason)


def _signal(process: subprocess.Popen, sig: signal.Signals) -> None:
    # Terraform is its own session leader: signal the group so providers get it too.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def run_captured(
    argv: list[str], *, cwd: Path, env: dict[str, str], timeout: float
) -> tuple[int, bytes, str]:
    """Run a short command whose output is data, not log (show -json, state pull)."""
    result = subprocess.run(
        argv,
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return result.returncode, result.stdout, result.stderr.decode("utf-8", errors="replace")
