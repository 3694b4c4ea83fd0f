"""The audit log: filterable page and CSV/JSON export (read-only by construction)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from flask import Blueprint, Response, render_template, request
from flask_login import login_required
from sqlalchemy import Select, select

from portal import db
from portal.models import AuditEvent

bp = Blueprint("audit", __name__)
PAGE_SIZE = 100
EXPORT_LIMIT = 100_000
FIELDS = ("id", "at", "actor", "action", "environment", "run_id", "remote_addr", "details")


def _filtered() -> tuple[Select, dict[str, str]]:
    args = {
        k: request.args.get(k, "").strip()
        for k in ("actor", "action", "environment", "run_id", "since", "until")
    }
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if args["actor"]:
        query = query.where(AuditEvent.actor == args["actor"])
    if args["action"]:
        # "run." matches every run event; "run.applied" only that one.
        if args["action"].endswith("."):
            query = query.where(AuditEvent.action.startswith(args["action"]))
        else:
            query = query.where(AuditEvent.action == args["action"])
    if args["environment"]:
        query = query.where(AuditEvent.environment_name == args["environment"])
    if args["run_id"].isdigit():
        query = query.where(AuditEvent.run_id == int(args["run_id"]))
    for key, compare in (("since", AuditEvent.at.__ge__), ("until", AuditEvent.at.__le__)):
        if args[key]:
            try:
                query = query.where(compare(datetime.fromisoformat(args[key])))
            except ValueError:
                args[key] = ""
    return query, args


def _row(event: AuditEvent) -> dict:
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "environment": event.environment_name,
        "run_id": event.run_id,
        "remote_addr": event.remote_addr,
        "details": event.details,
    }


@bp.route("/audit")
@login_required
def index():
    query, args = _filtered()
    page = max(request.args.get("page", 1, type=int), 1)
    events = db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template(
        "audit.html", events=events, filters=args, page=page, page_size=PAGE_SIZE
    )


@bp.route("/audit/export.<fmt>")
@login_required
def export(fmt: str):
    query, _ = _filtered()
    rows = [_row(e) for e in db.session.scalars(query.limit(EXPORT_LIMIT))]
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    if fmt == "json":
        return Response(
            json.dumps(rows, indent=1),
            mimetype="application/json",
            headers={"Content-Disposition": f"attachment; filename=audit-{stamp}.json"},
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FIELDS)
        writer.writeheader()
        for row in rows:
            # Neutralise spreadsheet formulas in free-text cells (CSV injection).
            writer.writerow(
                {k: _safe_cell(json.dumps(v) if k == "details" else v) for k, v in row.items()}
            )
        return Response(
            buffer.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename=audit-{stamp}.csv"},
        )
    return Response("unknown export format; use .csv or .json", status=404)


def _safe_cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
