"""What users ask of runs: plan, approve or reject, apply, cancel, force-unlock. Callers
commit; tasks and live events go out after commit."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.orm import Session

from portal import audit, events, messaging
from portal.lifecycle.environments import environment_names, readiness_problem, sync_environments
from portal.lifecycle.errors import LOCK_GUIDANCE, Conflict, NotAllowed, NotFound, now_utc, require
from portal.lifecycle.queue import locked_environment, promote_next
from portal.lifecycle.transitions import bump_seq, move
from portal.models import Approval, Run, User
from portal.permissions import Permission, user_may
from portal.plan_checks import FourEyesViolation, PlanStale, check_four_eyes, check_not_expired
from portal.settings import Settings
from portal.states import RUNNING_STATES, TERMINAL_STATES, RunState, TransitionError, can_transition

log = logging.getLogger(__name__)
S = RunState


def request_plan(
    session: Session, settings: Settings, environment: str, user: User, message: str = ""
) -> Run:
    require(user, Permission.PLAN, environment)
    if environment not in environment_names(settings):
        raise NotFound(f"There is no environment named {environment}.")
    sync_environments(session, settings)
    env = locked_environment(session, environment)
    problem = readiness_problem(settings, env)
    if problem:
        raise Conflict(problem)
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
    """Record one approver's decision. Breaks "callers commit" on purpose in two refusals:
    the record of a refused approval (four-eyes) and the discarding of a stale plan must
    stand although the request fails, and callers roll back on RunError, so both are
    committed here before raising. (A separate transaction would wait on the run row this
    request holds FOR UPDATE.)"""
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
        events.publish_after_commit(session, run.id, events.StateChanged.of(run))
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
    messaging.on_commit(session, lambda: messaging.send_task(messaging.APPLY_TASK, run.id))
    events.publish_after_commit(session, run.id, events.StateChanged.of(run))


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
                events.publish_after_commit(
                    session, run.id, events.CancelRequested(seq=run.state_seq)
                )
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


def force_unlock(session: Session, environment: str, user: User) -> int | None:
    """An admin frees an environment whose lock is stuck. The holding run is cancelled
    (a running Terraform is then killed by its worker's heartbeat) or discarded."""
    require(user, Permission.FORCE_UNLOCK, environment)
    env = locked_environment(session, environment)
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


def can_approve(user: User, run: Run) -> bool:
    return (
        user_may(user, Permission.APPROVE, run.environment_name)
        and run.state == S.AWAITING_APPROVAL.value
        and run.requested_by_id != user.id
        and all(a.user_id != user.id for a in run.approvals)
    )
