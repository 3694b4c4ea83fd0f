"""Fixtures for the portal: real PostgreSQL, real Redis, a real Celery worker process and
real Terraform runs of small environments written by the tests.

Each test makes its own environment directory and users, so tests never share a lock
or a run and the database needs no cleaning between them.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from tools import REPO_ROOT
from tools.local_stack import portal_env, wait_for_worker, worker_argv
from tools.services import PostgresServer, RedisServer

pytestmark = pytest.mark.portal

HEARTBEAT_INTERVAL = 1
HEARTBEAT_TIMEOUT = 6
CANCEL_GRACE = 2
PASSWORD = "correct horse battery staple"
SECRET_VALUE = "tok-9f8e7d6c5b4a"
TWO_APPROVER_ENV = "twokeys"

TINY_ENVIRONMENT = """\
terraform {
  required_version = ">= 1.11"
  backend "local" {}
}

variable "steps" {
  type    = number
  default = %(steps)d
}

# terraform_data is built into Terraform: a real plan and apply with no provider.
resource "terraform_data" "step" {
  count = var.steps
  input = "%(marker)s-${count.index}"

  provisioner "local-exec" {
    command = "echo step ${count.index} starting; sleep %(sleep)s; echo step ${count.index} done"
  }
}

output "inputs" {
  value = terraform_data.step[*].output
}
"""


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with PostgresServer() as pg, RedisServer() as redis:
        yield {
            "database_url": pg.create_database("portal"),
            "redis_url": redis.url,
            "pg": pg,
            "redis": redis,
        }  # type: ignore[dict-item]


@pytest.fixture(scope="session")
def migrated(services: dict) -> str:
    from alembic import command

    from portal.db import alembic_config

    config = alembic_config(services["database_url"])
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")
    return services["database_url"]


@pytest.fixture(scope="session")
def terraform_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("source") / "terraform"
    (root / "environments").mkdir(parents=True)
    return root


@pytest.fixture(scope="session")
def portal_environ(
    migrated: str, services: dict, terraform_tree: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    data = tmp_path_factory.mktemp("portal-data")
    return portal_env(
        database_url=migrated,
        redis_url=services["redis_url"],
        secret_key="test-" + uuid.uuid4().hex * 2,
        data_dir=data,
        source_dir=terraform_tree.parent,
        base={},
        PORTAL_HEARTBEAT_INTERVAL=str(HEARTBEAT_INTERVAL),
        PORTAL_HEARTBEAT_TIMEOUT=str(HEARTBEAT_TIMEOUT),
        PORTAL_CANCEL_GRACE=str(CANCEL_GRACE),
        PORTAL_PLAN_TIMEOUT="300",
        PORTAL_APPLY_TIMEOUT="600",
        PORTAL_REDISPATCH_AFTER="60",
        # Only for the environment named "secretive" (test_secrets_are_masked...).
        PORTAL_TF_SECRETIVE__TF_VAR_api_token=SECRET_VALUE,
        # Environments named like this need two distinct approvers (test_environment_access).
        PORTAL_REQUIRED_APPROVALS=f"{TWO_APPROVER_ENV}=2",
    )


@pytest.fixture(scope="session")
def settings(portal_environ: dict[str, str]):  # type: ignore[no-untyped-def]
    from portal.settings import Settings

    return Settings.from_env(portal_environ)


@pytest.fixture(scope="session")
def app(settings):  # type: ignore[no-untyped-def]
    from app import create_app

    flask_app = create_app({"TESTING": True, "REAP_EVERY_SECONDS": 0}, settings=settings)
    return flask_app


@pytest.fixture
def db_session(app):  # type: ignore[no-untyped-def]
    from portal import db

    with app.app_context():
        yield db.session
        db.session.rollback()
        db.session.remove()


_names = itertools.count(1)


@pytest.fixture
def make_user(app) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    from portal import db
    from portal.models import User
    from portal.security import hash_password

    password_hash = hash_password(PASSWORD)

    def make(role: str = "operator", name: str | None = None) -> User:
        username = name or f"{role}{next(_names)}-{uuid.uuid4().hex[:6]}"
        with app.app_context():
            user = User(username=username, role=role, password_hash=password_hash)
            db.session.add(user)
            db.session.commit()
            db.session.expunge(user)
            db.session.remove()
        return user

    return make


@pytest.fixture
def make_environment(terraform_tree: Path) -> Callable[..., str]:
    def make(steps: int = 1, sleep: float = 0, marker: str = "v1", name: str | None = None) -> str:
        env = name or f"env{next(_names)}-{uuid.uuid4().hex[:6]}"
        path = terraform_tree / "environments" / env
        path.mkdir(exist_ok=True)
        (path / "main.tf").write_text(
            TINY_ENVIRONMENT % {"steps": steps, "sleep": sleep, "marker": marker}
        )
        return env

    return make


@pytest.fixture
def stored_run(app, make_user, make_environment) -> Callable[..., tuple[object, int]]:  # type: ignore[no-untyped-def]
    """A run written straight to the database (no worker): its owner and id. ``lines``
    log lines are stored as ``line NNNNN of the plan``."""
    from portal import db
    from portal.models import Environment, Run, RunLogLine

    def make(state: str, lines: int = 0) -> tuple[object, int]:
        owner = make_user("operator")
        env = make_environment()
        with app.app_context():
            db.session.add(Environment(name=env))
            db.session.flush()  # environments and runs reference each other: insert it first
            run = Run(environment_name=env, requested_by_id=owner.id, state=state)
            db.session.add(run)
            db.session.flush()
            db.session.add_all(
                RunLogLine(run_id=run.id, offset=n, phase="plan", text=f"line {n:05d} of the plan")
                for n in range(1, lines + 1)
            )
            db.session.commit()
            run_id = run.id
            db.session.remove()
        return owner, run_id

    return make


CSRF_FIELD = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


def csrf_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


class Browser:
    """A signed-in test client that submits forms the way a browser does (with the
    page's CSRF token)."""

    def __init__(self, client, user):  # type: ignore[no-untyped-def]
        self.client = client
        self.user = user

    def token(self, path: str = "/") -> str:
        return csrf_token(self.client.get(path).get_data(as_text=True))

    def post(self, path: str, data: dict | None = None, page: str = "/", **kwargs):  # type: ignore[no-untyped-def]
        form = {"csrf_token": self.token(page), **(data or {})}
        return self.client.post(path, data=form, **kwargs)

    def get(self, path: str, **kwargs):  # type: ignore[no-untyped-def]
        return self.client.get(path, **kwargs)

    def start_plan(self, environment: str, message: str = "test") -> int:
        response = self.post("/plan", {"environment": environment, "message": message})
        assert response.status_code == 302, response.get_data(as_text=True)
        location = response.headers["Location"]
        match = re.search(r"/runs/(\d+)$", location)
        assert match, f"plan did not lead to a run page: {location}"
        return int(match.group(1))


def sign_in(app, user, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login",
        data={"csrf_token": csrf_token(page), "username": user.username, "password": password},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return Browser(client, user)


@pytest.fixture
def login(app) -> Callable[..., Browser]:  # type: ignore[no-untyped-def]
    return lambda user, password=PASSWORD: sign_in(app, user, password)


# --- the Celery worker -------------------------------------------------------------------


class WorkerProcess:
    def __init__(self, environ: dict[str, str], log_path: Path):
        self.environ = environ
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**os.environ, **self.environ}
        since = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            worker_argv(f"test-{uuid.uuid4().hex[:6]}"),
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_for_worker(self.log_path, self.process, since=since)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the worker and its pool children: a crash, not a shutdown."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.alive():
            assert self.process is not None
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture(scope="session")
def worker_process(
    portal_environ: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerProcess]:
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    log_path.touch()
    process = WorkerProcess(portal_environ, log_path)
    process.start()
    yield process
    process.stop()


@pytest.fixture
def worker(worker_process: WorkerProcess) -> WorkerProcess:
    """The running worker (restarted if an earlier test killed it)."""
    if not worker_process.alive():
        worker_process.start()
    return worker_process


# --- waiting on runs ---------------------------------------------------------------------


@pytest.fixture
def run_state(app) -> Callable[[int], object]:  # type: ignore[no-untyped-def]
    from portal import db
    from portal.models import Run

    def read(run_id: int) -> Run:
        with app.app_context(), db.session.session_factory() as session:
            run = session.get(Run, run_id)
            session.expunge(run)
            return run

    return read


@pytest.fixture
def wait_for(run_state) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    def wait(run_id: int, *states: str, timeout: float = 120, poll: Callable | None = None):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        seen = None
        while time.monotonic() < deadline:
            if poll is not None:
                poll()
            run = run_state(run_id)
            seen = run.state
            if run.state in states:
                return run
            time.sleep(0.2)
        raise AssertionError(
            f"run {run_id} is {seen} ({run.status_detail!r}), "
            f"expected one of {states} within {timeout}s"
        )

    return wait


@pytest.fixture
def audit_actions(app) -> Callable[[int], list[str]]:  # type: ignore[no-untyped-def]
    from portal import db
    from portal.models import AuditEvent

    def actions(run_id: int) -> list[str]:
        with app.app_context(), db.session.session_factory() as session:
            return list(
                session.scalars(
                    select(AuditEvent.action)
                    .where(AuditEvent.run_id == run_id)
                    .order_by(AuditEvent.id)
                )
            )

    return actions
