"""``make run``: the whole portal on this machine, against the local AWS emulator.

Starts PostgreSQL (data kept in .run/portal/pg), Redis, the AWS emulator, migrates the
database, creates two demo users the first time (passwords in .run/portal/credentials.txt,
mode 0600), then one Celery worker (with the beat that runs the reaper) and the web server
(gunicorn). Everything listens on 127.0.0.1 only; a port that is taken is replaced by a
free one. A worker that crashes is restarted with back-off (1 s, doubling to 30 s) while
the web stays up; if the web exits, the portal stops. Ctrl-C (or SIGTERM) stops them all,
web first, databases last, and waits until no process the worker or the web started (a
Terraform run included) is left.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from emulator import Emulator
from tools import REPO_ROOT
from tools.local_stack import (
    create_user,
    migrate,
    portal_env,
    wait_for_web,
    web_argv,
    worker_argv,
)
from tools.services import (
    LOOPBACK,
    PostgresServer,
    RedisServer,
    ServiceError,
    free_port,
    port_is_free,
)
from tools.supervisor import Child, Supervisor
from tools.terraform import TerraformNotUsable, check_terraform

RUN_DIR = REPO_ROOT / ".run" / "portal"
DEMO_USERS = (("operator", "operator"), ("approver", "approver"))
DEFAULT_PORTS = {"web": 8000, "postgres": 54329, "redis": 63799, "emulator": 5055}
# Seconds between SIGTERM and SIGKILL. Celery's warm shutdown lets a running Terraform
# finish its step, which can take a while; gunicorn only has requests to finish.
STOP_GRACE = {"worker": 30.0, "web": 10.0}


def pick_port(preferred: int) -> int:
    return preferred if port_is_free(preferred) else free_port()


def say(message: str) -> None:
    print(f"[portal] {message}", flush=True)


def secret_key(path: Path) -> str:
    """One random key per checkout, kept so sign-ins survive a restart."""
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def archive_emulated_state(data_dir: Path) -> Path | None:
    """The emulator starts empty every time, so state from an earlier session describes
    resources that no longer exist: set it aside instead of planning against it. Returns
    where it went, so the portal can record it (see ``record_state_set_aside``)."""
    state = data_dir / "state" / "local" / "terraform.tfstate"
    if not state.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    archived = state.with_name(f"terraform.tfstate.{stamp}.previous-emulator")
    state.rename(archived)
    say(f"set aside the local state of the previous emulator ({archived})")
    return archived


def record_state_set_aside(env: dict[str, str], archived: Path) -> None:
    """Tell the portal, so the environment page says so and older runs are marked."""
    note = f"A new local emulator started empty; the old state was moved to {archived}."
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "environments", "state-set-aside"]
        + ["local", "--note", note],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


class Portal:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.supervisor = Supervisor(say=say)
        self.postgres: PostgresServer | None = None
        self.redis: RedisServer | None = None
        self.emulator: Emulator | None = None
        self.logs = RUN_DIR / "logs"
        self.stopping = False

    def environment(self, database_url: str) -> dict[str, str]:
        assert self.redis is not None and self.emulator is not None
        return portal_env(
            database_url=database_url,
            redis_url=self.redis.url,
            secret_key=secret_key(RUN_DIR / "secret_key"),
            data_dir=RUN_DIR / "data",
            emulator_endpoint=self.emulator.endpoint,
            # As a real deployment would be configured: production needs two approvers.
            PORTAL_REQUIRED_APPROVALS=os.environ.get("PORTAL_REQUIRED_APPROVALS", "prod=2"),
        )

    def spawn(
        self, name: str, argv: list[str], env: dict[str, str], *, restart: bool
    ) -> subprocess.Popen[bytes]:
        child = self.supervisor.add(
            Child(
                name=name,
                argv=argv,
                env=env,
                cwd=REPO_ROOT,
                log_path=self.logs / f"{name}.log",
                restart=restart,
            )
        )
        assert child.process is not None
        return child.process

    def start(self) -> None:
        for directory in (RUN_DIR, self.logs, RUN_DIR / "data"):
            directory.mkdir(parents=True, exist_ok=True)
        try:
            version = check_terraform()
        except TerraformNotUsable as error:
            raise SystemExit(f"error: {error}") from error
        say(f"terraform {'.'.join(map(str, version))}")

        self.postgres = PostgresServer(
            RUN_DIR / "pg",
            pick_port(self.args.postgres_port),
            password_file=RUN_DIR / "postgres-password",
        ).start()
        database_url = self.postgres.create_database("portal")
        say(f"PostgreSQL on {LOOPBACK}:{self.postgres.port} (data in {RUN_DIR / 'pg'})")
        self.redis = RedisServer(pick_port(self.args.redis_port)).start()
        say(f"Redis on {LOOPBACK}:{self.redis.port}")
        self.emulator = Emulator(
            pick_port(self.args.emulator_port), log_path=self.logs / "emulator.log"
        ).start()
        say(f"AWS emulator on {self.emulator.endpoint}")
        archived = archive_emulated_state(RUN_DIR / "data")

        env = self.environment(database_url)
        migrate(env)
        say("database migrated")
        if archived is not None:
            record_state_set_aside(env, archived)
        self.create_demo_users(env)

        self.spawn(
            "worker",
            worker_argv("portal", beat_schedule=RUN_DIR / "celerybeat-schedule"),
            env,
            # A crashed worker only delays runs; the queue keeps them until it is back.
            restart=True,
        )
        web_port = pick_port(self.args.port)
        web = self.spawn(
            "web",
            web_argv(web_port),
            env,
            # gunicorn already restarts its own workers; the master exiting means something
            # is wrong that a restart would hide (a port, the configuration).
            restart=False,
        )
        wait_for_web(web_port, web)
        url = f"http://{LOOPBACK}:{web_port}/"
        print(flush=True)
        say(f"portal ready: {url}")
        say(
            f"sign in with the demo users in {RUN_DIR / 'credentials.txt'} "
            "(operator plans and applies, approver approves)"
        )
        say(f"plan the `local` environment, approve as the other user, apply; logs in {self.logs}")
        say("Ctrl-C stops everything")

    def create_demo_users(self, env: dict[str, str]) -> None:
        credentials = RUN_DIR / "credentials.txt"
        created = []
        for username, role in DEMO_USERS:
            password = secrets.token_urlsafe(15)
            result = create_user(env, username, role, password)
            if result.returncode == 0:
                created.append(f"{username} ({role}): {password}")
            elif "already exists" not in result.stdout + result.stderr:
                raise SystemExit(f"could not create demo user {username}:\n{result.stderr}")
        if created:
            with credentials.open("a") as handle:
                handle.write("\n".join(created) + "\n")
            credentials.chmod(0o600)
            say(f"created demo users; their passwords are in {credentials} (mode 0600)")

    def watch(self) -> int:
        """Supervise until Ctrl-C (0) or until a child that is not restarted exits (1)."""
        while not self.stopping:
            for child in self.supervisor.step():
                assert child.process is not None
                code = child.process.returncode
                say(f"{child.name} exited with code {code}; see {child.log_path}")
                return 1
            time.sleep(0.5)
        return 0

    def stop(self) -> None:
        self.stopping = True
        self.supervisor.stop_all(STOP_GRACE)
        for server in (self.emulator, self.redis, self.postgres):
            if server is not None:
                server.stop()
        say("stopped")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=DEFAULT_PORTS["web"])
    parser.add_argument("--postgres-port", type=int, default=DEFAULT_PORTS["postgres"])
    parser.add_argument("--redis-port", type=int, default=DEFAULT_PORTS["redis"])
    parser.add_argument("--emulator-port", type=int, default=DEFAULT_PORTS["emulator"])
    args = parser.parse_args(argv)
    if shutil.which("redis-server") is None:
        print("error: redis-server is missing (apt-get install -y redis-server)", file=sys.stderr)
        return 2
    portal = Portal(args)

    def on_signal(signum: int, _frame: object) -> None:
        portal.stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        portal.start()
        return portal.watch()
    except (ServiceError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", "") or ""
        print(f"error: {error}\n{detail}", file=sys.stderr)
        return 1
    finally:
        portal.stop()


if __name__ == "__main__":
    sys.exit(main())
