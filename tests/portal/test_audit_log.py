"""The append-only audit log: enforced in PostgreSQL, shown, filtered and exported."""

from __future__ import annotations

import csv
import io

import psycopg
import pytest

pytestmark = pytest.mark.portal


def raw(services):  # type: ignore[no-untyped-def]
    url = services["database_url"].replace("postgresql+psycopg://", "postgresql://")
    return psycopg.connect(url, autocommit=True)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET actor = 'mallory'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ],
)
def test_database_rejects_rewriting_history_even_with_the_portals_credentials(
    services, make_user, login, statement
):
    login(make_user("viewer"))  # makes sure there is at least one event
    with raw(services) as conn:
        before = conn.execute("SELECT count(*), max(id) FROM audit_events").fetchone()
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute(statement)
        assert conn.execute("SELECT count(*), max(id) FROM audit_events").fetchone() == before


def test_app_refuses_to_change_an_audit_event(app, db_session) -> None:
    from portal import audit
    from portal.models import AuditLogIsAppendOnly

    event = audit.record(db_session, "test.original", "alice")
    db_session.commit()
    event.details = {"rewritten": True}
    with pytest.raises(AuditLogIsAppendOnly):
        db_session.flush()


def test_sign_in_and_run_actions_are_audited_with_actor_and_address(
    make_user, login, make_environment, worker, wait_for
):
    user = make_user("operator")
    browser = login(user)
    run_id = browser.start_plan(make_environment(), "audited")
    wait_for(run_id, "awaiting_approval", timeout=60)
    page = browser.get(f"/audit?actor={user.username}").get_data(as_text=True)
    assert "auth.login" in page and "run.requested" in page
    assert "127.0.0.1" in page
    only_runs = browser.get(f"/audit?actor={user.username}&action=run.").get_data(as_text=True)
    assert "auth.login" not in only_runs and "run.requested" in only_runs


def test_export_as_csv_and_json_with_filters(make_user, login) -> None:
    user = make_user("viewer")
    browser = login(user)
    as_json = browser.get(f"/audit/export.json?actor={user.username}")
    assert as_json.status_code == 200
    rows = as_json.get_json()
    assert [r["action"] for r in rows] == ["auth.login"] and rows[0]["actor"] == user.username
    as_csv = browser.get(f"/audit/export.csv?actor={user.username}")
    assert as_csv.mimetype == "text/csv"
    assert "attachment" in as_csv.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(as_csv.get_data(as_text=True))))
    assert [r["action"] for r in table] == ["auth.login"]


def test_csv_export_neutralises_spreadsheet_formulas(make_user, login, app) -> None:
    from portal import audit, db

    with app.app_context():
        audit.record(db.session, "test.formula", '=HYPERLINK("http://x")')
        db.session.commit()
    browser = login(make_user("viewer"))
    text = browser.get("/audit/export.csv?action=test.formula").get_data(as_text=True)
    assert "'=HYPERLINK" in text
