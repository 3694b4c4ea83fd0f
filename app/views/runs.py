"""Runs: list with filters, the run page (live log, plan summary, actions)."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from datetime import timedelta

import redis
from flask import (
    Blueprint,
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import db, lifecycle, messaging
from app.forms import ActionForm, CancelForm, DecisionForm
from app.models import Run, RunLogLine, User
from app.permissions import Permission
from app.states import RunState, is_terminal
from app.views import ensure, me, run_or_404, settings

bp = Blueprint("runs", __name__)
PAGE_SIZE = 50
SSE_KEEPALIVE_SECONDS = 15
# Browsers reconnect by themselves (sending Last-Event-ID), so a stream can end every
# few minutes at no cost; that frees the server thread of a tab that was left open.
SSE_MAX_SECONDS = 600
BACKLOG_PAGE = 2000


@bp.route("/runs")
@login_required
def index():  # type: ignore[no-untyped-def]
    query = select(Run).order_by(Run.id.desc())
    env = request.args.get("environment", "")
    state = request.args.get("state", "")
    requester = request.args.get("requested_by", "")
    if env:
        query = query.where(Run.environment_name == env)
    if state:
        query = query.where(Run.state == state)
    if requester:
        query = query.join(User, User.id == Run.requested_by_id).where(User.username == requester)
    page = max(request.args.get("page", 1, type=int), 1)
    runs = db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template(
        "runs.html",
        runs=runs,
        page=page,
        filters={"environment": env, "state": state, "requested_by": requester},
        states=[s.value for s in RunState],
        environments=lifecycle.environment_names(settings()),
        page_size=PAGE_SIZE,
    )


def _panel_context(run: Run) -> dict:
    grace = settings().cancel_grace
    force_at = None
    if run.cancel_requested_at is not None:
        force_at = run.cancel_requested_at + timedelta(seconds=grace)
    running = run.state in (RunState.PLANNING.value, RunState.APPLYING.value)
    can_force = running and force_at is not None and lifecycle.now_utc() >= force_at
    return {
        "run": run,
        "cancel_grace": grace,
        "can_force_cancel": can_force,
        # When the bar must be re-read because "Force cancel" becomes available.
        "force_cancel_at": int(force_at.timestamp()) + 1
        if running and force_at is not None and not can_force
        else None,
        "decision_form": DecisionForm(),
        "action_form": ActionForm(),
        "cancel_form": CancelForm(),
        "can_approve": lifecycle.can_approve(me(), run),
        "approvers": lifecycle.approvers_of(run),
        "approvals_required": settings().approvals_required(run.environment_name),
        "is_requester": run.requested_by_id == me().id,
        "terminal": is_terminal(run.state),
        "holder": run.environment.lock_run_id,
    }


@bp.route("/runs/<int:run_id>")
@login_required
def detail(run_id: int):  # type: ignore[no-untyped-def]
    run = run_or_404(run_id)
    return render_template("run.html", **_panel_context(run))


@bp.route("/runs/<int:run_id>/panel")
@login_required
def panel(run_id: int):  # type: ignore[no-untyped-def]
    """The action bar, re-fetched by the run page on state events."""
    return render_template("_run_panel.html", **_panel_context(run_or_404(run_id)))


@bp.route("/runs/<int:run_id>/plan-review")
@login_required
def plan_review(run_id: int):  # type: ignore[no-untyped-def]
    """The plan review fragment, fetched once by the run page when the plan is saved."""
    return render_template("_plan_review.html", run=run_or_404(run_id))


def _text(body: Iterator[str] | str, filename: str) -> Response:
    response = Response(body, mimetype="text/plain")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/runs/<int:run_id>/plan.txt")
@login_required
def plan_text(run_id: int):  # type: ignore[no-untyped-def]
    """`terraform show` of the saved plan (Terraform masked the sensitive values)."""
    run = run_or_404(run_id)
    if run.plan is None:
        return _text("This run has no saved plan.\n", f"run-{run_id}-plan.txt"), 404
    return _text(run.plan.text or "(no plan text was stored)\n", f"run-{run_id}-plan.txt")


@bp.route("/runs/<int:run_id>/log.txt")
@login_required
def log_text(run_id: int):  # type: ignore[no-untyped-def]
    """The whole log as text, read page by page so a long log never sits in memory."""
    run_or_404(run_id)

    def pages() -> Iterator[str]:
        for lines in _line_pages(run_id, 0):
            yield "".join(f"{line.text}\n" for line in lines)

    return _text(stream_with_context(pages()), f"run-{run_id}.log")


def _line_pages(run_id: int, after: int) -> Iterator[list[RunLogLine]]:
    """The stored lines after ``after``, a page at a time, each page read in a short
    session of its own (so a long log never holds a connection or sits in memory)."""
    make_session = db.session.session_factory
    while True:
        with make_session() as session:
            lines = _lines_after(session, run_id, after, BACKLOG_PAGE)
        if lines:
            yield lines
            after = lines[-1].offset
        if len(lines) < BACKLOG_PAGE:
            return


def _lines_after(session: Session, run_id: int, after: int, limit: int = 5000) -> list[RunLogLine]:
    return list(
        session.scalars(
            select(RunLogLine)
            .where(RunLogLine.run_id == run_id, RunLogLine.offset > after)
            .order_by(RunLogLine.offset)
            .limit(limit)
        )
    )


@bp.route("/runs/<int:run_id>/log")
@login_required
def log(run_id: int):  # type: ignore[no-untyped-def]
    run_or_404(run_id)
    after = request.args.get("after", 0, type=int)
    lines = _lines_after(db.session, run_id, after)
    return jsonify([{"offset": ln.offset, "phase": ln.phase, "text": ln.text} for ln in lines])


def _sse(event: str, data: dict, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data)}\n\n"


@bp.route("/runs/<int:run_id>/events")
@login_required
def events(run_id: int):  # type: ignore[no-untyped-def]
    """Server-Sent Events: the run's log from the client's last offset, then live.

    Subscribe first, then read the stored lines after ``Last-Event-ID``: a line written
    between the two steps arrives through the subscription (and duplicates are skipped by
    offset), so a client that connects late or reconnects never misses a line.
    """
    run_or_404(run_id)
    raw_last = request.headers.get("Last-Event-ID") or request.args.get("after") or "0"
    last = int(raw_last) if raw_last.isdigit() else 0
    make_session = db.session.session_factory

    def stream() -> Iterator[str]:
        pubsub = messaging.redis_client().pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(messaging.channel(run_id))
        sent = last
        started = time.monotonic()
        try:
            yield f"retry: 2000\n: connected at offset {sent}\n\n"

            def backlog() -> Iterator[str]:
                # Stored lines go out a page per event: one browser event per 2,000 lines
                # instead of one per line.
                nonlocal sent
                for lines in _line_pages(run_id, sent):
                    sent = lines[-1].offset
                    batch = [[line.offset, line.text] for line in lines]
                    yield _sse("logs", {"lines": batch}, sent)

            def current_state() -> Run:
                with make_session() as session:
                    return session.get(Run, run_id)

            newest_seq = -1

            def fresh(seq: int | None) -> bool:
                # Each change of the run is sent once and in order: an event the client
                # has already seen (read from the DB before its publish arrived) is dropped.
                nonlocal newest_seq
                if seq is not None and seq <= newest_seq:
                    return False
                newest_seq = max(newest_seq, seq or 0)
                return True

            def state(run: Run) -> Iterator[str]:
                if fresh(run.state_seq):
                    yield _sse("state", lifecycle.state_event(run))

            def end(run: Run) -> str:
                return _sse("end", {"state": run.state, "seq": run.state_seq})

            yield from backlog()
            run = current_state()
            yield from state(run)
            if is_terminal(run.state):
                yield from backlog()
                yield end(run)
                return
            while time.monotonic() - started < SSE_MAX_SECONDS:
                message = pubsub.get_message(timeout=SSE_KEEPALIVE_SECONDS)
                if message is None:
                    yield ": keepalive\n\n"
                    run = current_state()
                    if is_terminal(run.state):  # in case the final event was missed
                        yield from backlog()
                        yield from state(run)
                        yield end(run)
                        return
                    continue
                payload = json.loads(message["data"])
                if payload.get("type") == "log":
                    offset = payload["offset"]
                    if offset <= sent:
                        continue
                    if offset > sent + 1:  # a gap: take the missing lines from the DB
                        yield from backlog()
                        continue
                    sent = offset
                    line = {
                        "offset": offset,
                        "text": payload["text"],
                        "phase": payload.get("phase"),
                    }
                    yield _sse("log", line, offset)
                elif payload.get("type") == "state":
                    if fresh(payload.get("seq")):
                        yield _sse("state", {k: v for k, v in payload.items() if k != "type"})
                    if is_terminal(payload["state"]):
                        yield from backlog()
                        yield _sse("end", {"state": payload["state"], "seq": payload.get("seq")})
                        return
                elif fresh(payload.get("seq")):
                    yield _sse(payload.get("type", "message"), payload)
        except redis.RedisError:
            # Live push is unavailable; the browser reconnects with its Last-Event-ID and
            # gets the stored lines, so ending the stream loses nothing.
            yield ": live updates unavailable, reconnecting\n\n"
        finally:
            with contextlib.suppress(redis.RedisError):
                pubsub.close()

    return Response(
        stream_with_context(stream()),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@bp.route("/runs/<int:run_id>/apply", methods=["POST"])
@login_required
def apply(run_id: int):  # type: ignore[no-untyped-def]
    run = run_or_404(run_id, for_update=True)
    ensure(Permission.APPLY, run.environment_name)
    try:
        lifecycle.request_apply(db.session, run, me())
        db.session.commit()
    except lifecycle.RunError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(url_for("runs.detail", run_id=run_id))


@bp.route("/runs/<int:run_id>/cancel", methods=["POST"])
@login_required
def cancel(run_id: int):  # type: ignore[no-untyped-def]
    form = CancelForm()
    run = run_or_404(run_id, for_update=True)
    ensure(Permission.CANCEL, run.environment_name)
    try:
        outcome = lifecycle.cancel(db.session, settings(), run, me(), force=bool(form.force.data))
        db.session.commit()
        flash(
            {
                "cancelled": "Run cancelled.",
                "discarded": "Plan discarded; the environment is free.",
                "interrupting": "Interrupt sent: Terraform is stopping cleanly.",
                "killing": "Terraform is being stopped by force.",
            }[outcome],
            "info",
        )
    except lifecycle.RunError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(url_for("runs.detail", run_id=run_id))


@bp.route("/runs/<int:run_id>/approve", methods=["POST"])
@login_required
def approve(run_id: int):  # type: ignore[no-untyped-def]
    return _decide(run_id, approved=True)


@bp.route("/runs/<int:run_id>/reject", methods=["POST"])
@login_required
def reject(run_id: int):  # type: ignore[no-untyped-def]
    return _decide(run_id, approved=False)


def _decide(run_id: int, *, approved: bool):  # type: ignore[no-untyped-def]
    form = DecisionForm()
    run = run_or_404(run_id, for_update=True)
    ensure(Permission.APPROVE, run.environment_name)
    decide = lifecycle.approve if approved else lifecycle.reject
    try:
        decide(db.session, settings(), run, me(), form.comment.data or "")
        db.session.commit()
        if not approved:
            flash("Plan rejected.", "info")
        elif run.state == RunState.APPROVED.value:
            flash("Plan approved.", "info")
        else:
            flash(f"Approval recorded. {run.status_detail}", "info")
    except lifecycle.RunError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(url_for("runs.detail", run_id=run_id))
