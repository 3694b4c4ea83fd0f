"""Everything that changes a run or an environment lock, for the web app, the API, the
worker and the reaper alike. Callers commit; tasks and live events go out after commit.

Locking: a run takes its environment's lock when it leaves the queue and keeps it until
it ends (so a plan can never be applied after another run changed the state under it).
The lock is taken and released with the environment row locked (SELECT ... FOR UPDATE),
so a new request and a finishing run cannot miss each other.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app import audit, messaging
from app.models import Approval, Environment, Run, User
from app.permissions import Permission, user_may
from app.plan_checks import FourEyesViolation, PlanStale, check_four_eyes, check_not_expired
from app.settings import Settings
from app.states import (
    RUNNING_STATES,
    TERMINAL_STATES,
    RunState,
    TransitionError,
    can_transition,
    check_transition,
)

log = logging.getLogger(__name__)
S = RunState


class RunError(Exception):
    """A request about a run that cannot be honoured; ``status`` is the HTTP status."""

    status = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(RunError):  # noqa: N818
    status = 403


class NotFound(RunError):  # noqa: N818
    status = 404


class Conflict(RunError):  # noqa: N818
    status = 409


def now_utc() -> datetime:
    return datetime.now(UTC)


def require(user: User, permission: Permission, environment: str | None) -> None:
    if not user_may(user, permission, environment):
        raise NotAllowed(not_allowed_message(user, permission, environment))


def not_allowed_message(user: User, permission: Permission, environment: str | None) -> str:
    where = f" on {environment}" if environment else ""
    return (
        f"Your role{where} ({user.role_for(environment)}) does not allow: {permission.value}. "
        "An admin can grant a role per environment on the Users page."
    )


# --- environments ---------------------------------------------------------------------


def environment_names(settings: Settings) -> list[str]:
    root = settings.environments_dir
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.tf")))


def sync_environments(session: Session, settings: Settings) -> list[Environment]:
    """Make sure every environment directory has a row (rows are never deleted: runs
    reference them)."""
    names = environment_names(settings)
    known = {env.name for env in session.scalars(select(Environment))}
    for name in names:
        if name not in known:
            session.add(Environment(name=name))
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
    return session.get(Environment, name)


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


def uses_remote_backend(settings: Settings, name: str) -> bool:
    for path in (settings.environments_dir / name).glob("*.tf"):
        text = path.read_text(errors="replace")
        if 'backend "' in text and 'backend "local"' not in text:
            return True
    return False


def readiness_problem(settings: Settings, name: str) -> str | None:
    """Why a plan of this environment cannot start from the portal, if it cannot."""
    configured = settings.terraform_settings(name)
    if uses_remote_backend(settings, name) and not any(k.startswith("AWS_") for k in configured):
        key = name.upper().replace("-", "_")
        return (
            f"Environment {name} keeps its state in AWS and the portal has no AWS credentials "
            f"for it. Configure them on the worker, e.g. PORTAL_TF_{key}__AWS_PROFILE=<profile> "
            f"(or PORTAL_TF_{key}__AWS_ROLE_ARN / access key variables), then try again."
        )
    return None


def _locked_environment(session: Session, name: str) -> Environment:
    env = session.scalars(
        select(Environment).where(Environment.name == name).with_for_update()
    ).one_or_none()
    if env is None:
        raise NotFound(f"There is no environment named {name}.")
    return env


# --- state changes --------------------------------------------------------------------


def move(
    session: Session,
    run: Run,
    target: RunState,
    *,
    actor: User | str | None,
    detail: str | None = None,
    expect_token: str | None = None,
    **fields: object,
) -> None:
    """Move a run to ``target`` if its lifecycle allows it and nobody moved it meanwhile
    (and, for a worker, only while the run is still that worker's: ``expect_token``)."""
    current = RunState(run.state)
    check_transition(current, target)
    now = now_utc()
    values: dict[str, object] = {
        "state": target.value,
        "updated_at": now,
        "state_seq": Run.state_seq + 1,
        **fields,
    }
    if detail is not None:
        values["status_detail"] = detail
    if target in TERMINAL_STATES:
        values["finished_at"] = now
    condition = [Run.id == run.id, Run.state == current.value]
    if expect_token is not None:
        condition.append(Run.worker_token == expect_token)
    result = session.execute(
        update(Run).where(*condition).values(**values).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(run)
        raise Conflict(f"Run {run.id} changed meanwhile: it is now {run.state}.")
    session.refresh(run)
    audit.record(
        session,
        f"run.{target.value}",
        actor,
        environment=run.environment_name,
        run_id=run.id,
        from_state=current.value,
        to_state=target.value,
        detail=detail or None,
    )
    payload = state_event(run)
    messaging.on_commit(session, lambda: messaging.publish(run.id, payload))
    if target in TERMINAL_STATES:
        release_lock(session, run)


def state_event(run: Run) -> dict[str, object]:
    """The live event a browser gets when the run changes; ``seq`` orders them."""
    return {
        "type": "state",
        "state": run.state,
        "detail": run.status_detail,
        "seq": run.state_seq,
    }


def bump_seq(session: Session, run: Run) -> int:
    """Count a change the run page shows that is not a state move (apply or cancel
    requested), so browsers re-read the panel in order."""
    session.flush()
    seq = session.execute(
        update(Run)
        .where(Run.id == run.id)
        .values(state_seq=Run.state_seq + 1)
        .returning(Run.state_seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    set_committed_value(run, "state_seq", seq)
    return seq


def release_lock(session: Session, run: Run) -> None:
    env = _locked_environment(session, run.environment_name)
    if env.lock_run_id == run.id:
        env.lock_run_id = None
        env.locked_at = None
        session.flush()
        promote_next(session, env)


def promote_next(session: Session, env: Environment) -> Run | None:
    """Give a free environment to its oldest queued run and queue that run's plan."""
    if env.lock_run_id is not None:
        return None
    run = session.scalars(
        select(Run)
        .where(Run.environment_name == env.name, Run.state == S.QUEUED.value)
        .order_by(Run.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
    if run is None:
        return None
    env.lock_run_id = run.id
    env.locked_at = now_utc()
    run.dispatched_at = now_utc()
    session.flush()
    audit.record(
        session, "environment.locked", run.requested_by, environment=env.name, run_id=run.id
    )
    messaging.on_commit(session, lambda: messaging.send_task(messaging.PLAN_TASK, run.id))
    return run


def request_plan(
    session: Session, settings: Settings, environment: str, user: User, message: str = ""
) -> Run:
    require(user, Permission.PLAN, environment)
    if environment not in environment_names(settings):
        raise NotFound(f"There is no environment named {environment}.")
    problem = readiness_problem(settings, environment)
    if problem:
        raise Conflict(problem)
    sync_environments(session, settings)
    env = _locked_environment(session, environment)
    run = Run(
        environment_name=environment,
        requested_by_id=user.id,
        message=message.strip()[:500],
        state=S.QUEUED.value,
        status_detail="",
    )
    session.add(run)
    session.flush()
    audit.record(
        session,
        "run.requested",
        user,
        environment=environment,
        run_id=run.id,
        message=run.message or None,
    )
    if env.lock_run_id is None:
        promote_next(session, env)
    else:
        run.status_detail = f"Waiting for run #{env.lock_run_id}, which holds {environment}."
    return run


def approve(session: Session, settings: Settings, run: Run, user: User, comment: str) -> Approval:
    return _decide(session, settings, run, user, comment, approved=True)


def reject(session: Session, settings: Settings, run: Run, user: User, comment: str) -> Approval:
    return _decide(session, settings, run, user, comment, approved=False)


def _decide(
    session: Session, settings: Settings, run: Run, user: User, comment: str, *, approved: bool
) -> Approval:
    require(user, Permission.APPROVE, run.environment_name)
    if run.state != S.AWAITING_APPROVAL.value or run.plan is None:
        raise Conflict(
            f"Run {run.id} is {run.state}; only a plan awaiting approval can be decided."
        )
    try:
        check_four_eyes(run.requested_by_id, user.id)
    except FourEyesViolation as error:
        audit.record(
            session,
            "approval.refused",
            user,
            environment=run.environment_name,
            run_id=run.id,
            reason=str(error),
        )
        session.commit()
        raise NotAllowed(str(error)) from error
    if approved:
        try:
            check_not_expired(run.plan.created_at, now_utc(), settings.plan_max_age)
        except PlanStale as error:
            move(session, run, S.DISCARDED, actor=user, detail=str(error))
            session.commit()
            raise Conflict(str(error)) from error
    if any(a.user_id == user.id for a in run.approvals):
        raise Conflict(f"You have already decided on run {run.id}; each approver decides once.")
    decision = Approval(
        run_id=run.id,
        user_id=user.id,
        decision="approved" if approved else "rejected",
        comment=comment.strip()[:5000],
        plan_sha256=run.plan.sha256,
    )
    session.add(decision)
    session.flush()
    session.refresh(run, ["approvals"])
    audit.record(
        session,
        f"approval.{decision.decision}",
        user,
        environment=run.environment_name,
        run_id=run.id,
        plan_sha256=run.plan.sha256,
        comment=decision.comment or None,
    )
    if not approved:
        move(session, run, S.REJECTED, actor=user, detail=f"Rejected by {user.username}.")
        return decision
    approvers = approvers_of(run)
    required = settings.approvals_required(run.environment_name)
    names = ", ".join(approvers)
    if len(approvers) >= required:
        move(
            session,
            run,
            S.APPROVED,
            actor=user,
            detail=f"Approved by {names} ({len(approvers)} of {required}). "
            "An operator can now apply this exact plan.",
        )
    else:
        missing = required - len(approvers)
        run.status_detail = (
            f"{len(approvers)} of {required} approvals ({names}); waiting for {missing} more "
            f"approver{'s' if missing > 1 else ''} other than the requester."
        )
        bump_seq(session, run)
        payload = state_event(run)
        messaging.on_commit(session, lambda: messaging.publish(run.id, payload))
    return decision


def approvers_of(run: Run) -> list[str]:
    """Distinct users who approved this run's current plan, in the order they did."""
    digest = run.plan.sha256 if run.plan else None
    return [
        a.user.username
        for a in run.approvals
        if a.decision == "approved" and a.plan_sha256 == digest
    ]


def request_apply(session: Session, run: Run, user: User) -> None:
    require(user, Permission.APPLY, run.environment_name)
    if run.state != S.APPROVED.value:
        raise Conflict(f"Run {run.id} is {run.state}; only an approved plan can be applied.")
    if run.apply_requested_at is not None:
        raise Conflict(f"The apply of run {run.id} was already requested.")
    run.apply_requested_at = now_utc()
    run.apply_requested_by_id = user.id
    run.dispatched_at = now_utc()
    run.status_detail = f"Apply requested by {user.username}; waiting for a worker."
    audit.record(
        session, "run.apply_requested", user, environment=run.environment_name, run_id=run.id
    )
    bump_seq(session, run)
    payload = state_event(run)
    messaging.on_commit(session, lambda: messaging.send_task(messaging.APPLY_TASK, run.id))
    messaging.on_commit(session, lambda: messaging.publish(run.id, payload))


def cancel(
    session: Session, settings: Settings, run: Run, user: User, *, force: bool = False
) -> str:
    """Cancel or discard a run. Running Terraform is interrupted first (so it can release
    its state lock); a forced stop is only possible once the grace period has passed."""
    require(user, Permission.CANCEL, run.environment_name)
    state = RunState(run.state)
    now = now_utc()
    if state == S.QUEUED:
        move(
            session,
            run,
            S.CANCELLED,
            actor=user,
            detail=f"Cancelled by {user.username} before it started.",
        )
        return "cancelled"
    if state in {S.PLANNED, S.AWAITING_APPROVAL, S.APPROVED}:
        # If an apply task is starting right now, the conditional update in move() lets
        # only one of the two win, and the loser gets a Conflict.
        move(session, run, S.DISCARDED, actor=user, detail=f"Discarded by {user.username}.")
        return "discarded"
    if state in RUNNING_STATES:
        if not force:
            if run.cancel_requested_at is None:
                run.cancel_requested_at = now
                run.cancel_requested_by_id = user.id
                audit.record(
                    session,
                    "run.cancel_requested",
                    user,
                    environment=run.environment_name,
                    run_id=run.id,
                )
                bump_seq(session, run)
                payload = {"type": "cancel_requested", "seq": run.state_seq}
                messaging.on_commit(session, lambda: messaging.publish(run.id, payload))
            return "interrupting"
        if run.cancel_requested_at is None or now - run.cancel_requested_at < timedelta(
            seconds=settings.cancel_grace
        ):
            raise Conflict(
                f"Interrupt first and give Terraform {settings.cancel_grace}s to stop cleanly; "
                "force-cancel is possible after that."
            )
        heartbeat_age = (now - run.heartbeat_at).total_seconds() if run.heartbeat_at else None
        audit.record(
            session,
            "run.force_cancel_requested",
            user,
            environment=run.environment_name,
            run_id=run.id,
        )
        if heartbeat_age is None or heartbeat_age > settings.heartbeat_interval * 3:
            # No worker is looking after the run any more: end it here.
            move(
                session,
                run,
                S.CANCELLED,
                actor=user,
                detail=f"Force-cancelled by {user.username}; no worker was running it. "
                + LOCK_GUIDANCE,
            )
            return "cancelled"
        run.force_cancel_requested_at = now
        return "killing"
    raise Conflict(f"Run {run.id} is {run.state} and cannot be cancelled.")


LOCK_GUIDANCE = (
    "If Terraform could not release its state lock, an admin can run "
    "`terraform force-unlock <id>` for this environment after checking no other run is active."
)


def force_unlock(session: Session, environment: str, user: User) -> int | None:
    """An admin frees an environment whose lock is stuck. The holding run is cancelled
    (a running Terraform is then killed by its worker's heartbeat) or discarded."""
    require(user, Permission.FORCE_UNLOCK, environment)
    env = _locked_environment(session, environment)
    holder_id = env.lock_run_id
    audit.record(
        session, "environment.force_unlocked", user, environment=environment, run_id=holder_id
    )
    if holder_id is None:
        return None
    holder = session.get(Run, holder_id)
    if holder is not None and holder.state not in {s.value for s in TERMINAL_STATES}:
        target = S.CANCELLED if can_transition(holder.state, S.CANCELLED) else S.DISCARDED
        try:
            move(
                session,
                holder,
                target,
                actor=user,
                detail=f"The environment lock was force-released by {user.username}.",
            )
            return holder_id
        except (TransitionError, Conflict):
            pass
    env.lock_run_id = None
    env.locked_at = None
    session.flush()
    promote_next(session, env)
    return holder_id


# --- the reaper -----------------------------------------------------------------------


@dataclass
class ReapResult:
    failed: list[int]
    redispatched: list[int]
    promoted: list[int]


def reap(session: Session, settings: Settings) -> ReapResult:
    """Fail runs whose worker stopped heartbeating, re-queue tasks the broker lost, and
    hand free environments to waiting runs. Safe to run anywhere, any number of times."""
    now = now_utc()
    result = ReapResult([], [], [])
    expired_before = now - timedelta(seconds=settings.heartbeat_timeout)
    stuck = session.scalars(
        select(Run).where(
            Run.state.in_([s.value for s in RUNNING_STATES]), Run.heartbeat_at < expired_before
        )
    ).all()
    for run in stuck:
        phase = "plan" if run.state == S.PLANNING.value else "apply"
        consequence = (
            "Nothing was applied."
            if phase == "plan"
            else "Some changes may have been applied: start a new plan to see what remains."
        )
        detail = (
            f"The worker running this {phase} stopped responding (no heartbeat since "
            f"{run.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC, limit {settings.heartbeat_timeout}s), "
            f"so the run was marked failed. {consequence} Check the worker's logs for why it "
            f"died (out of memory, restart). {LOCK_GUIDANCE}"
        )
        try:
            move(session, run, S.FAILED, actor=audit.SYSTEM_ACTOR, detail=detail)
            result.failed.append(run.id)
        except Conflict:
            continue
    redispatch_before = now - timedelta(seconds=settings.redispatch_after)
    waiting = session.scalars(
        select(Run)
        .join(Environment, Environment.lock_run_id == Run.id)
        .where(Run.state == S.QUEUED.value, Run.dispatched_at < redispatch_before)
    ).all()
    for run in waiting:
        run.dispatched_at = now
        messaging.on_commit(
            session, lambda run_id=run.id: messaging.send_task(messaging.PLAN_TASK, run_id)
        )
        result.redispatched.append(run.id)
    applies = session.scalars(
        select(Run).where(
            Run.state == S.APPROVED.value,
            Run.apply_requested_at.is_not(None),
            Run.dispatched_at < redispatch_before,
        )
    ).all()
    for run in applies:
        run.dispatched_at = now
        messaging.on_commit(
            session, lambda run_id=run.id: messaging.send_task(messaging.APPLY_TASK, run_id)
        )
        result.redispatched.append(run.id)
    free = session.scalars(
        select(Environment)
        .where(Environment.lock_run_id.is_(None))
        .with_for_update(skip_locked=True)
    ).all()
    for env in free:
        promoted = promote_next(session, env)
        if promoted is not None:
            result.promoted.append(promoted.id)
    if result.redispatched:
        audit.record(
            session, "reaper.redispatched", audit.SYSTEM_ACTOR, run_ids=result.redispatched
        )
    return result


def can_approve(user: User, run: Run) -> bool:
    return (
        user_may(user, Permission.APPROVE, run.environment_name)
        and run.state == S.AWAITING_APPROVAL.value
        and run.requested_by_id != user.id
        and all(a.user_id != user.id for a in run.approvals)
    )
