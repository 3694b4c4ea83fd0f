"""The portal's local stack, one way for every tool that needs it: ``make run``, ``make
bench-portal`` and the portal tests. PostgreSQL, Redis and the AWS emulator come from
tools.services and emulator; this module says how the portal's own
processes are configured, started and known to be ready:

- ``portal_env``: the environment of the web app and the worker (one place for every
  variable, so the three users cannot drift apart);
- ``migrate`` and ``create_user``: the database brought to head, users created through the
  real command line (passwords on stdin, never on the command line);
- ``worker_argv`` / ``web_argv``: the Celery worker and gunicorn command lines;
- ``wait_for_worker`` / ``wait_for_web``: ready means the worker said so in its log (it
  then consumes the queue) and the web server accepts connections.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tools import CACHE_DIR, REPO_ROOT
from tools.services import LOOPBACK, wait_for_port
from tools.terraform import terraform_env

WORKER_READY = b"ready."


def portal_env(
    *,
    database_url: str,
    redis_url: str,
    secret_key: str,
    data_dir: Path,
    source_dir: Path = REPO_ROOT,
    emulator_endpoint: str | None = None,
    base: dict[str, str] | None = None,
    **extra: str,
) -> dict[str, str]:
    """Environment for a local web app or worker. Development mode on plain http over
    loopback (a Secure cookie would never come back); Terraform from the offline mirror
    with this checkout's plugin cache."""
    env = terraform_env(dict(os.environ if base is None else base))
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECRET_KEY=secret_key,
        PORTAL_ENV="development",
        SESSION_COOKIE_SECURE="false",
        PORTAL_DATA_DIR=str(data_dir),
        PORTAL_SOURCE_DIR=str(source_dir),
        PORTAL_TERRAFORM_CACHE_DIR=str(CACHE_DIR),
        PYTHONPATH=str(REPO_ROOT),
    )
    if emulator_endpoint is not None:
        env["PORTAL_TF_LOCAL__TF_VAR_aws_endpoint"] = emulator_endpoint
    env.update(extra)
    return env


def migrate(env: dict[str, str]) -> None:
    """Bring the portal's database to the newest Alembic revision."""
    subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def create_user(
    env: dict[str, str], username: str, role: str, password: str
) -> subprocess.CompletedProcess[str]:
    """``flask users create`` with the password on stdin (never on the command line)."""
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "users", "create", username]
        + ["--role", role, "--password-stdin"],
        cwd=REPO_ROOT,
        env=env,
        input=password + "\n",
        text=True,
        capture_output=True,
        check=False,
    )


def worker_argv(
    name: str,
    *,
    beat_schedule: Path | None = None,
    concurrency: int = 2,
) -> list[str]:
    """The Celery worker; with ``beat_schedule`` it also runs the beat (the reaper's
    schedule), which exactly one worker of a deployment may do. It logs at INFO: its
    "ready." line is what ``wait_for_worker`` waits for."""
    argv = [sys.executable, "-m", "celery", "-A", "worker.celery_app", "worker"]
    if beat_schedule is not None:
        argv += ["-B", "-s", str(beat_schedule)]
    else:
        # No beat, so nothing to gossip or synchronise with other workers about.
        argv += ["--without-gossip", "--without-mingle"]
    return argv + [f"--concurrency={concurrency}", "--loglevel=INFO", "-n", f"{name}@%h"]


def web_argv(port: int, *, workers: int = 1, threads: int = 32) -> list[str]:
    return [
        *(sys.executable, "-m", "gunicorn", "--worker-class", "gthread"),
        *("--workers", str(workers), "--threads", str(threads)),
        *("--bind", f"{LOOPBACK}:{port}", "--access-logfile", "-"),
        *("--timeout", "120", "--graceful-timeout", "5"),
        "app:create_app()",
    ]


def wait_for_worker(
    log_path: Path, process: subprocess.Popen[bytes], *, since: int = 0, timeout: float = 60
) -> None:
    """Until the worker logs that it is ready (it consumes the queue from then on).
    ``since``: the log's size when this worker started, for a log that an earlier run of
    the worker wrote to (its "ready" does not count)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if WORKER_READY in log_path.read_bytes()[since:]:
            return
        if process.poll() is not None:
            raise RuntimeError(f"the worker exited:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.2)
    raise RuntimeError(f"the Celery worker was not ready within {timeout:.0f} s ({log_path})")


def wait_for_web(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> str:
    """Until the web server accepts connections; its base URL."""
    wait_for_port(port, timeout, process)
    return f"http://{LOOPBACK}:{port}"
