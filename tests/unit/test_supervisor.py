"""The supervisor behind ``make run``: restart with back-off, and a stop that leaves nothing.

The children are real processes. Restart decisions are driven with a fake clock, so no test
waits for a back-off to pass; the only waits are for real processes to do something, each
on its condition with a generous deadline because CI machines are busy.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tools.supervisor import Child, Supervisor, group_members

DEADLINE = 30.0
ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}

# Leads a process group, starts a grandchild in it that ignores SIGTERM, then waits; the
# default SIGTERM action ends the leader, so the grandchild is left behind unless the whole
# group is dealt with. The pid file is written only once SIGTERM is ignored.
GRANDCHILD = (
    "import os, signal, sys, time\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "path = sys.argv[1]\n"
    "open(path + '.tmp', 'w').write(str(os.getpid()))\n"
    "os.rename(path + '.tmp', path)\n"
    "time.sleep(600)\n"
)
LEADER = (
    "import subprocess, sys, time\n"
    "subprocess.Popen([sys.executable, '-c', sys.argv[1], sys.argv[2]])\n"
    "time.sleep(float(sys.argv[3]))\n"
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def wait_for(condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {DEADLINE:.0f}s waiting for {what}")
        time.sleep(0.02)


def gone(pid: int) -> bool:
    """The process no longer runs: it does not exist, or it is a zombie awaiting its parent
    (a grandchild reparented to init or to a subreaper is reaped there, not by us)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    state = next(line for line in status.splitlines() if line.startswith("State:"))
    return state.split()[1] in ("Z", "X")


def python_child(tmp_path: Path, name: str, argv: list[str], *, restart: bool) -> Child:
    return Child(
        name=name,
        argv=[sys.executable, *argv],
        env=ENV,
        cwd=tmp_path,
        log_path=tmp_path / f"{name}.log",
        restart=restart,
    )


@pytest.fixture
def messages() -> list[str]:
    return []


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def supervisor(clock: FakeClock, messages: list[str]) -> Iterator[Supervisor]:
    supervisor = Supervisor(
        first_delay=1, max_delay=30, stable_after=60, clock=clock, say=messages.append
    )
    yield supervisor
    # Whatever a test left running is cleaned up the way the portal does it.
    supervisor.stop_all({}, default_grace=1)


def wait_exited(child: Child) -> None:
    process = child.process
    assert process is not None
    wait_for(lambda: process.poll() is not None, f"{child.name} (pid {process.pid}) to exit")


def crash_and_restart(supervisor: Supervisor, clock: FakeClock, child: Child) -> float:
    """Let the child's current run end, then advance the clock through its restart;
    returns the delay the supervisor chose between noticing the exit and restarting."""
    wait_exited(child)
    crashed_at = clock.now
    before = child.process
    assert supervisor.step() == []
    assert child.restart_at is not None
    delay = child.restart_at - crashed_at
    clock.now = child.restart_at - 0.01
    supervisor.step()
    assert child.process is before, "restarted before its back-off had passed"
    clock.now = child.restart_at
    supervisor.step()
    assert child.process is not before, "not restarted once its back-off had passed"
    return delay


def test_a_crashing_child_is_restarted_with_doubling_back_off_up_to_the_cap(
    tmp_path: Path, supervisor: Supervisor, clock: FakeClock, messages: list[str]
) -> None:
    worker = supervisor.add(
        python_child(tmp_path, "worker", ["-c", "print('up'); exit(3)"], restart=True)
    )

    delays = [crash_and_restart(supervisor, clock, worker) for _ in range(7)]

    assert delays == [1, 2, 4, 8, 16, 30, 30]
    assert worker.restarts == 7
    log = tmp_path / "worker.log"
    assert messages[0] == f"worker exited with code 3; restarting in 1 s (restart 1); log: {log}"
    assert messages[1].startswith("worker restarted (pid ")
    assert f"restarting in 30 s (restart 7); log: {log}" in messages[-2]
    wait_for(lambda: log.read_text().count("up") >= 8, "every run's output in the log")


def test_the_back_off_starts_over_after_the_child_stayed_up_for_the_stable_period(
    tmp_path: Path, supervisor: Supervisor, clock: FakeClock
) -> None:
    worker = supervisor.add(python_child(tmp_path, "worker", ["-c", "exit(3)"], restart=True))
    assert [crash_and_restart(supervisor, clock, worker) for _ in range(3)] == [1, 2, 4]

    # This run lasts the stable period (by the clock the supervisor reads) before it exits.
    clock.now += 60
    assert crash_and_restart(supervisor, clock, worker) == 1
    # Not stable the next time: the streak grows again from the start.
    assert crash_and_restart(supervisor, clock, worker) == 2
    # Just short of stable still counts as the same streak.
    clock.now += 59.9
    assert crash_and_restart(supervisor, clock, worker) == 4


def test_a_child_that_is_not_restarted_is_reported_once_and_the_others_stay_up(
    tmp_path: Path, supervisor: Supervisor, clock: FakeClock, messages: list[str]
) -> None:
    worker = supervisor.add(python_child(tmp_path, "worker", ["-c", "exit(3)"], restart=True))
    web = supervisor.add(
        python_child(tmp_path, "web", ["-c", "import time; time.sleep(600)"], restart=False)
    )

    # The worker is down and waiting for its restart; the web is not disturbed by it.
    wait_exited(worker)
    assert supervisor.step() == []
    assert worker.restart_at == 1
    assert web.running

    web_process = web.process
    assert web_process is not None
    web_process.kill()
    wait_exited(web)
    assert supervisor.step() == [web]
    assert web_process.returncode == -9
    assert supervisor.step() == [], "reported more than once"
    clock.now = 100
    supervisor.step()
    assert web.process is web_process, "a child with restart=False was restarted"
    assert worker.process is not None and worker.restarts == 1
    assert not any(m.startswith("web") for m in messages), "the caller words the web's exit"


def test_stop_all_gives_the_grace_period_to_a_child_that_shuts_down_cleanly(
    tmp_path: Path, supervisor: Supervisor
) -> None:
    # Like Celery's warm shutdown: on SIGTERM it finishes what it was doing, then exits 0.
    ready = tmp_path / "ready"
    script = (
        "import signal, sys, time\n"
        "signal.signal(signal.SIGTERM, lambda *_: (time.sleep(0.5), sys.exit(0)))\n"
        f"open({str(ready)!r}, 'w').close()\n"
        "time.sleep(600)\n"
    )
    worker = supervisor.add(python_child(tmp_path, "worker", ["-c", script], restart=True))
    wait_for(ready.exists, "the worker to install its SIGTERM handler")

    supervisor.stop_all({"worker": DEADLINE})

    assert worker.process is not None and worker.process.returncode == 0


def test_stop_all_kills_a_grandchild_that_ignores_sigterm_after_its_leader_exited(
    tmp_path: Path, supervisor: Supervisor
) -> None:
    pidfile = tmp_path / "grandchild.pid"
    leader = ["-c", LEADER, GRANDCHILD, str(pidfile), "600"]
    worker = supervisor.add(python_child(tmp_path, "worker", leader, restart=True))
    web = supervisor.add(
        python_child(tmp_path, "web", ["-c", "import time; time.sleep(600)"], restart=False)
    )
    wait_for(pidfile.exists, "the grandchild to write its pid")
    grandchild = int(pidfile.read_text())
    assert worker.pgid is not None and grandchild in group_members(worker.pgid)

    supervisor.stop_all({"worker": 0.5, "web": 0.5})

    # The leader died of the SIGTERM; the grandchild only of the SIGKILL that followed.
    assert worker.process is not None and worker.process.returncode == -15
    assert web.process is not None and web.process.returncode == -15
    assert gone(grandchild)
    assert group_members(worker.pgid) == []


def test_what_a_crashed_child_left_behind_is_killed_before_it_restarts(
    tmp_path: Path, supervisor: Supervisor, clock: FakeClock, messages: list[str]
) -> None:
    # The leader exits on its own, as a Celery worker killed by the OOM killer would,
    # leaving the grandchild (a pool process, a Terraform) in its group.
    pidfile = tmp_path / "grandchild.pid"
    leader = ["-c", LEADER, GRANDCHILD, str(pidfile), "0"]
    worker = supervisor.add(python_child(tmp_path, "worker", leader, restart=True))
    wait_for(pidfile.exists, "the grandchild to write its pid")
    grandchild = int(pidfile.read_text())
    old_group = worker.pgid
    assert old_group is not None

    crash_and_restart(supervisor, clock, worker)

    assert "worker: killing what its previous run left behind" in messages
    wait_for(lambda: gone(grandchild), "the grandchild to be killed")
    assert worker.pgid != old_group
