"""Environments: discovered from terraform/environments/<name> (the only code that reads
the .tf files), their rows, readiness, and state set aside."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.lifecycle.errors import NotFound, now_utc
from portal.models import Environment
from portal.settings import Settings
from portal.states import RunState

log = logging.getLogger(__name__)
S = RunState


def environment_names(settings: Settings) -> list[str]:
    root = settings.environments_dir
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.tf")))


def sync_environments(session: Session, settings: Settings) -> list[Environment]:
    """Make sure every environment directory has a row (rows are never deleted: runs
    reference them) that says where its state is kept."""
    names = environment_names(settings)
    known = {env.name: env for env in session.scalars(select(Environment))}
    for name in names:
        remote = _uses_remote_backend(settings, name)
        if name not in known:
            session.add(Environment(name=name, remote_state=remote))
        elif known[name].remote_state != remote:
            known[name].remote_state = remote
    session.flush()
    return list(
        session.scalars(
            select(Environment).where(Environment.name.in_(names)).order_by(Environment.name)
        )
    )


def find_environment(session: Session, settings: Settings, name: str) -> Environment:
    """The row of an environment directory that exists (NotFound otherwise)."""
    if name not in environment_names(settings):
        raise NotFound(f"There is no environment named {name}.")
    sync_environments(session, settings)
    return session.get_one(Environment, name)


def record_state_set_aside(
    session: Session, settings: Settings, name: str, note: str, actor: str
) -> Environment:
    """Remember that the environment's state was moved out of the way (the local emulator
    starts empty each time): its page says so, older runs are marked, and the outputs
    and resources recorded from the old state are dropped."""
    env = find_environment(session, settings, name)
    env.state_set_aside_at = now_utc()
    env.state_set_aside_note = note.strip()[:2000]
    env.outputs = env.resources = None
    env.state_read_run_id = env.state_read_at = None
    audit.record(session, "environment.state_set_aside", actor, environment=name, note=note)
    return env


def _uses_remote_backend(settings: Settings, name: str) -> bool:
    for path in (settings.environments_dir / name).glob("*.tf"):
        text = path.read_text(errors="replace")
        if 'backend "' in text and 'backend "local"' not in text:
            return True
    return False


def readiness_problem(settings: Settings, env: Environment) -> str | None:
    """Why a plan of this environment cannot start from the portal, if it cannot."""
    name = env.name
    configured = settings.terraform_settings(name)
    if env.remote_state and not any(k.startswith("AWS_") for k in configured):
        key = name.upper().replace("-", "_")
        return (
            f"Environment {name} keeps its state in AWS and the portal has no AWS credentials "
            f"for it. Configure them on the worker, e.g. PORTAL_TF_{key}__AWS_PROFILE=<profile> "
            f"(or PORTAL_TF_{key}__AWS_ROLE_ARN / access key variables), then try again."
        )
    return None
