"""Runs: list with filters, the run page (live log, plan summary, actions)."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator

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
from app.views import me, permission_required, run_or_404, settings

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
    return {
        "run": run,
        "decision_form": DecisionForm(),
        "action_form": ActionForm(),
        "cancel_form": CancelForm(),
        "can_approve": lifecycle.can_approve(me(), run),
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
    """The state/summary/actions fragment, re-fetched by the run page on state events."""
    return render_template("_run_panel.html", **_panel_context(run_or_404(run_id)))


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
                nonlocal sent
                while True:
                    with make_session() as session:
                        lines = _lines_after(session, run_id, sent, BACKLOG_PAGE)
                    for line in lines:
                        sent = line.offset
                        yield _sse("log", {"text": line.text, "phase": line.phase}, line.offset)
                    if len(lines) < BACKLOG_PAGE:
                        return

            def current_state() -> Run:
                with make_session() as session:
                    return session.get(Run, run_id)

            yield from backlog()
            run = current_state()
            yield _sse("state", {"state": run.state, "detail": run.status_detail})
            if is_terminal(run.state):
                yield from backlog()
                yield _sse("end", {"state": run.state})
                return
            while time.monotonic() - started < SSE_MAX_SECONDS:
                message = pubsub.get_message(timeout=SSE_KEEPALIVE_SECONDS)
                if message is None:
                    yield ": keepalive\n\n"
                    run = current_state()
                    if is_terminal(run.state):  # in case the final event was missed
                        yield from backlog()
                        yield _sse("end", {"state": run.state})
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
                    yield _sse(
                        "log", {"text": payload["text"], "phase": payload.get("phase")}, offset
                    )
                elif payload.get("type") == "state":
                    yield _sse(
                        "state", {"state": payload["state"], "detail": payload.get("detail", "")}
                    )
                    if is_terminal(payload["state"]):
                        yield from backlog()
                        yield _sse("end", {"state": payload["state"]})
                        return
                else:
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
@permission_required(Permission.APPLY)
def apply(run_id: int):  # type: ignore[no-untyped-def]
    run = run_or_404(run_id, for_update=True)
    try:
        lifecycle.request_apply(db.session, run, me())
        db.session.commit()
    except lifecycle.RunError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(url_for("runs.detail", run_id=run_id))


@bp.route("/runs/<int:run_id>/cancel", methods=["POST"])
@login_required
@permission_required(Permission.CANCEL)
def cancel(run_id: int):  # type: ignore[no-untyped-def]
    form = CancelForm()
    run = run_or_404(run_id, for_update=True)
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
@permission_required(Permission.APPROVE)
def approve(run_id: int):  # type: ignore[no-untyped-def]
    return _decide(run_id, approved=True)


@bp.route("/runs/<int:run_id>/reject", methods=["POST"])
@login_required
@permission_required(Permission.APPROVE)
def reject(run_id: int):  # type: ignore[no-untyped-def]
    return _decide(run_id, approved=False)


def _decide(run_id: int, *, approved: bool):  # type: ignore[no-untyped-def]
    form = DecisionForm()
    run = run_or_404(run_id, for_update=True)
    decide = lifecycle.approve if approved else lifecycle.reject
    try:
        decide(db.session, settings(), run, me(), form.comment.data or "")
        db.session.commit()
        flash("Plan approved." if approved else "Plan rejected.", "info")
    except lifecycle.RunError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(url_for("runs.detail", run_id=run_id))
