"""A small supervisor for the long-running children of ``make run``.

Each child leads its own process group (``start_new_session=True``) because what we start
forks further: Celery forks its pool, the pool runs Terraform, gunicorn forks its workers.
Signalling the group instead of one pid is what lets a stop reach all of them, and checking
the group afterwards is what proves nothing was left behind.

Children marked ``restart`` come back after a crash with exponential back-off, so a worker
that dies on start-up does not spin the machine, while one that crashes once a day comes
back at once. The restart decisions are made in :meth:`Supervisor.step` against an
injectable clock, so they can be tested without waiting for real seconds to pass.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

# After SIGKILL there is nothing left to negotiate; this only covers the kernel's delay in
# tearing the processes down (and a busy machine's delay in scheduling us).
KILL_WAIT = 10.0
POLL = 0.05


@dataclass
class Child:
    """One supervised command and what the supervisor knows about its current run."""

    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    log_path: Path
    restart: bool = False
    process: subprocess.Popen[bytes] | None = None
    # Equal to the pid (start_new_session), recorded so the group can still be signalled
    # after the leader has exited and been reaped.
    pgid: int | None = None
    started_at: float = 0.0
    restarts: int = 0
    # Crashes since the child last stayed up for the stable period; sets the next delay.
    crashes_in_a_row: int = 0
    restart_at: float | None = None
    # Set once a child that is not restarted has been reported as exited.
    reported: bool = False
    # Groups of earlier runs whose leader died but whose members had not, when last looked
    # at. Emptied groups are dropped: once empty, the number may be reused by another
    # process's new group, which must never be signalled.
    old_groups: list[int] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes in the group ``pgid``; empty when the group is gone.

    ``os.killpg(pgid, 0)`` answers whether the group has members at all, but a zombie still
    counts for it, and a zombie whose parent is not ours (a grandchild reparented to init
    or a subreaper) is reaped by that parent, not by us. A zombie has already stopped, so
    on Linux /proc is read to leave zombies out.
    """
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return []
    except PermissionError:
        pass  # a member we may not signal still exists; /proc tells which
    proc = Path("/proc")
    if not proc.is_dir():
        return [pgid]  # no /proc: the group exists and we cannot tell zombies apart
    members = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # exited while we looked
        # The command name is in parentheses and may contain spaces: split after it.
        fields = stat[stat.rfind(")") + 2 :].split()
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state not in ("Z", "X"):
            members.append(int(entry.name))
    return members


def signal_group(pgid: int, signum: int) -> None:
    """Signal a whole group; a group that has already emptied is not an error."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)


class Supervisor:
    """Starts children, restarts the ones that may be restarted, and stops them all.

    ``step`` is meant to be called from a loop every fraction of a second; it never blocks.
    ``stop_all`` does block, for up to each child's grace period plus the time a SIGKILL
    takes, and always uses the real clock because it waits on real processes.
    """

    def __init__(
        self,
        *,
        first_delay: float = 1.0,
        max_delay: float = 30.0,
        stable_after: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        say: Callable[[str], None] = lambda message: print(message, flush=True),
    ):
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.stable_after = stable_after
        self.clock = clock
        self.say = say
        self.children: list[Child] = []
        self.stopped = False

    def add(self, child: Child) -> Child:
        """Start ``child`` and supervise it; children are stopped in reverse order of adding."""
        self._start(child, self.clock())
        self.children.append(child)
        return child

    def _start(self, child: Child, now: float) -> None:
        with child.log_path.open("ab") as log:
            # The child keeps its own copy of the descriptor; ours is closed on leaving.
            child.process = subprocess.Popen(
                child.argv,
                cwd=child.cwd,
                env=child.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        child.pgid = child.process.pid
        child.started_at = now
        child.restart_at = None
        child.reported = False

    def delay_for(self, crashes_in_a_row: int) -> float:
        """The wait before restart number ``crashes_in_a_row`` (1-based) of a crash streak."""
        return min(self.first_delay * 2 ** (crashes_in_a_row - 1), self.max_delay)

    def step(self, now: float | None = None) -> list[Child]:
        """Notice exits and carry out restarts that are due.

        Returns the children that exited and will not be restarted (``restart=False``); the
        caller decides what that means (``make run`` stops the portal). They are returned
        once, on the step that notices the exit.
        """
        if self.stopped:
            return []
        now = self.clock() if now is None else now
        finished = []
        for child in self.children:
            if child.old_groups:
                child.old_groups = [pgid for pgid in child.old_groups if group_members(pgid)]
            if child.restart_at is not None:
                if now >= child.restart_at:
                    self._restart(child, now)
                continue
            if child.process is None or child.running or child.reported:
                continue
            if not child.restart:
                child.reported = True
                finished.append(child)
                continue
            self._schedule_restart(child, now)
        return finished

    def _schedule_restart(self, child: Child, now: float) -> None:
        assert child.process is not None and child.pgid is not None
        if now - child.started_at >= self.stable_after:
            child.crashes_in_a_row = 0  # it had been fine for a while: this is a new problem
        child.crashes_in_a_row += 1
        child.restarts += 1
        delay = self.delay_for(child.crashes_in_a_row)
        child.restart_at = now + delay
        self.say(
            f"{child.name} exited with code {child.process.returncode}; restarting in "
            f"{delay:g} s (restart {child.restarts}); log: {child.log_path}"
        )
        # The leader is gone but what it forked may not be (a Celery pool process, the
        # Terraform it runs). Ask them to stop now, so Terraform can release its state lock
        # before the new worker starts; anything still there at restart time is killed.
        if group_members(child.pgid):
            signal_group(child.pgid, signal.SIGTERM)
            child.old_groups.append(child.pgid)

    def _restart(self, child: Child, now: float) -> None:
        for pgid in child.old_groups:
            if group_members(pgid):
                self.say(f"{child.name}: killing what its previous run left behind")
                signal_group(pgid, signal.SIGKILL)
        # Still listed until seen empty by a later step (or swept by stop_all).
        self._start(child, now)
        assert child.process is not None
        self.say(f"{child.name} restarted (pid {child.process.pid})")

    def stop_all(self, grace_by_name: Mapping[str, float], default_grace: float = 10.0) -> None:
        """Stop every child, last started first, and leave none of their processes running.

        Each group gets SIGTERM and up to its grace period to empty (Celery's warm shutdown
        lets Terraform finish its step), then SIGKILL. The group, not just the leader, is
        waited for: a grandchild that ignores SIGTERM outlives its leader otherwise.
        """
        self.stopped = True  # no restart may race with the stop
        for child in reversed(self.children):
            child.restart_at = None
            groups = list(child.old_groups)
            # A running leader is unreaped, so its pid still names its group; after it was
            # reaped, the group number is only safe to use while members remain.
            if child.pgid is not None and (child.running or group_members(child.pgid)):
                groups.append(child.pgid)
            grace = grace_by_name.get(child.name, default_grace)
            self._stop_groups(child, groups, grace)

    def _stop_groups(self, child: Child, groups: list[int], grace: float) -> None:
        for pgid in groups:
            signal_group(pgid, signal.SIGTERM)
        if self._wait_empty(child, groups, grace):
            return
        for pgid in groups:
            if (pgid == child.pgid and child.running) or group_members(pgid):
                signal_group(pgid, signal.SIGKILL)
        if not self._wait_empty(child, groups, KILL_WAIT):
            left = [pid for pgid in groups for pid in group_members(pgid)]
            self.say(f"{child.name}: processes {left} survived SIGKILL")

    @staticmethod
    def _wait_empty(child: Child, groups: Iterable[int], timeout: float) -> bool:
        """Wait until the leader is reaped and no group has live members."""
        deadline = time.monotonic() + timeout
        while True:
            # Reaping the leader matters: our own unreaped zombie keeps its group alive.
            leader_done = child.process is None or child.process.poll() is not None
            if leader_done and not any(group_members(pgid) for pgid in groups):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL)
