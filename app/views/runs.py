"""Runs: list with filters, the run page (live log, plan summary, actions)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

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

from app.forms import ActionForm, CancelForm, DecisionForm
from app.views import ensure, me, run_or_404, settings
from portal import db, lifecycle, logs
from portal import events as live
from portal.models import Run, User
from portal.permissions import Permission
from portal.states import RunState, is_terminal

bp = Blueprint("runs", __name__)
PAGE_SIZE = 50
SSE_KEEPALIVE_SECONDS = 15
# Browsers reconnect by themselves (sending Last-Event-ID), so a stream can end every
# few minutes at no cost; that frees the server thread of a tab that was left open.
SSE_MAX_SECONDS = 600
BACKLOG_PAGE = 2000


@bp.route("/runs")
@login_required
def index():
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
def detail(run_id: int):
    run = run_or_404(run_id)
    return render_template("run.html", **_panel_context(run))


@bp.route("/runs/<int:run_id>/panel")
@login_required
def panel(run_id: int):
    """The action bar, re-fetched by the run page on state events."""
    return render_template("_run_panel.html", **_panel_context(run_or_404(run_id)))


@bp.route("/runs/<int:run_id>/plan-review")
@login_required
def plan_review(run_id: int):
    """The plan review fragment, fetched once by the run page when the plan is saved."""
    return render_template("_plan_review.html", run=run_or_404(run_id))


def _text(body: Iterator[str] | str, filename: str) -> Response:
    response = Response(body, mimetype="text/plain")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/runs/<int:run_id>/plan.txt")
@login_required
def plan_text(run_id: int):
    """`terraform show` of the saved plan (Terraform masked the sensitive values)."""
    run = run_or_404(run_id)
    if run.plan is None:
        return _text("This run has no saved plan.\n", f"run-{run_id}-plan.txt"), 404
    return _text(run.plan.text or "(no plan text was stored)\n", f"run-{run_id}-plan.txt")


@bp.route("/runs/<int:run_id>/log.txt")
@login_required
def log_text(run_id: int):
    """The whole log as text, read page by page so a long log never sits in memory."""
    run_or_404(run_id)

    def pages() -> Iterator[str]:
        for lines in logs.line_pages(db.session.session_factory, run_id, 0, BACKLOG_PAGE):
            yield "".join(f"{line.text}\n" for line in lines)

    return _text(stream_with_context(pages()), f"run-{run_id}.log")


@bp.route("/runs/<int:run_id>/log")
@login_required
def log(run_id: int):
    run_or_404(run_id)
    after = request.args.get("after", 0, type=int)
    lines = logs.lines_after(db.session(), run_id, after)
    return jsonify([{"offset": ln.offset, "phase": ln.phase, "text": ln.text} for ln in lines])


def _sse(event: str, data: dict, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data)}\n\n"


@bp.route("/runs/<int:run_id>/events")
@login_required
def events(run_id: int):
    """Server-Sent Events: the run's log from the client's last offset (``Last-Event-ID``),
    then live (portal.logs.RunTail); this view only formats what the tail yields."""
    run_or_404(run_id)
    raw_last = request.headers.get("Last-Event-ID") or request.args.get("after") or "0"
    tail = logs.RunTail(
        db.session.session_factory,
        run_id,
        int(raw_last) if raw_last.isdigit() else 0,
        max_seconds=SSE_MAX_SECONDS,
        idle_seconds=SSE_KEEPALIVE_SECONDS,
    )

    def stream() -> Iterator[str]:
        yield f"retry: 2000\n: connected at offset {tail.sent}\n\n"
        for item in tail:
            if isinstance(item, logs.Backlog):
                # Stored lines go out a page per event, not one event per line.
                batch = [[line.offset, line.text] for line in item.lines]
                yield _sse("logs", {"lines": batch}, item.lines[-1].offset)
            elif isinstance(item, live.LogLine):
                yield _sse(item.kind, live.payload(item), item.offset)
            elif isinstance(item, live.StateChanged | live.CancelRequested):
                yield _sse(item.kind, live.payload(item))
            elif isinstance(item, logs.Ended):
                yield _sse("end", {"state": item.state, "seq": item.seq})
            elif isinstance(item, logs.Idle):
                yield ": keepalive\n\n"
            elif isinstance(item, logs.Unavailable):
                # The browser reconnects with its Last-Event-ID and gets the stored lines.
                yield ": live updates unavailable, reconnecting\n\n"

    return Response(
        stream_with_context(stream()),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@bp.route("/runs/<int:run_id>/apply", methods=["POST"])
@login_required
def apply(run_id: int):
    run = run_or_404(run_id, for_update=True)
    ensure(Permission.APPLY, run.environment_name)
    try:
        lifecycle.request_apply(db.session(), run, me())
        db.session.commit()
    except lifecycle.RunError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(url_for("runs.detail", run_id=run_id))


@bp.route("/runs/<int:run_id>/cancel", methods=["POST"])
@login_required
def cancel(run_id: int):
    form = CancelForm()
    run = run_or_404(run_id, for_update=True)
    ensure(Permission.CANCEL, run.environment_name)
    try:
        outcome = lifecycle.cancel(db.session(), settings(), run, me(), force=bool(form.force.data))
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
def approve(run_id: int):
    return _decide(run_id, approved=True)


@bp.route("/runs/<int:run_id>/reject", methods=["POST"])
@login_required
def reject(run_id: int):
    return _decide(run_id, approved=False)


def _decide(run_id: int, *, approved: bool):
    form = DecisionForm()
    run = run_or_404(run_id, for_update=True)
    ensure(Permission.APPROVE, run.environment_name)
    decide = lifecycle.approve if approved else lifecycle.reject
    try:
        decide(db.session(), settings(), run, me(), form.comment.data or "")
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
