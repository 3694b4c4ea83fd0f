"""Roles per environment, distinct approvers per environment, and the admin page that
manages users, their roles and their tokens, on the real app and worker."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from tests.portal.conftest import TWO_APPROVER_ENV
from tests.portal.test_api import api_token

pytestmark = pytest.mark.portal


@pytest.fixture
def grant(app):  # type: ignore[no-untyped-def]
    """Give a user a role on one environment, as an admin would (through app.accounts)."""
    from portal import accounts, db, lifecycle
    from portal.models import User

    def give(user, environment: str, role: str | None) -> None:  # type: ignore[no-untyped-def]
        with app.app_context():
            lifecycle.sync_environments(db.session, app.config["PORTAL_SETTINGS"])
            accounts.grant(db.session, "test", db.session.get(User, user.id), environment, role)
            db.session.commit()
            db.session.remove()

    return give


def test_a_grant_replaces_the_default_role_on_that_environment_only(
    make_user, make_environment, login, grant, run_state
) -> None:
    dev, prod = make_environment(), make_environment()
    user = make_user("viewer")
    grant(user, dev, "operator")
    browser = login(user)

    page = browser.get("/").get_data(as_text=True)
    plan_form = page[page.index('id="plan-form"') :]
    assert f'value="{dev}"' in plan_form and f'value="{prod}"' not in plan_form
    assert re.search(rf'id="env-{dev}".*?class="role">operator<', page, re.S)
    assert re.search(rf'id="env-{prod}".*?class="role">viewer<', page, re.S)

    run_id = browser.start_plan(dev)
    assert run_state(run_id).environment_name == dev
    refused = browser.post("/plan", {"environment": prod})
    assert refused.status_code == 403
    assert f"Your role on {prod} (viewer) does not allow: plan" in refused.get_data(as_text=True)


def test_a_lower_grant_takes_rights_away_on_that_environment(
    worker, make_user, make_environment, login, grant, wait_for, run_state
) -> None:
    env = make_environment()
    operator, approver = make_user("operator"), make_user("approver")
    run_id = login(operator).start_plan(env)
    wait_for(run_id, "awaiting_approval", timeout=60)
    login(approver).post(f"/runs/{run_id}/approve", page=f"/runs/{run_id}")
    wait_for(run_id, "approved", timeout=10)

    grant(operator, env, "viewer")
    browser = login(operator)
    panel = browser.get(f"/runs/{run_id}/panel").get_data(as_text=True)
    assert 'id="apply-button"' not in panel and 'id="discard-button"' not in panel
    assert browser.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}").status_code == 403
    token = api_token(browser)
    response = browser.client.post(
        f"/api/v1/runs/{run_id}/apply", json={}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403
    assert run_state(run_id).state == "approved" and run_state(run_id).apply_requested_at is None

    grant(operator, env, None)  # back to the default role: operator again
    browser = login(operator)
    assert browser.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}").status_code == 302
    assert wait_for(run_id, "applied", "failed", timeout=60).state == "applied"


def test_an_approver_grant_lets_a_viewer_approve_there(
    worker, make_user, make_environment, login, grant, wait_for
) -> None:
    env = make_environment()
    run_id = login(make_user("operator")).start_plan(env)
    wait_for(run_id, "awaiting_approval", timeout=60)
    viewer = make_user("viewer")
    assert login(viewer).post(f"/runs/{run_id}/approve", page=f"/runs/{run_id}").status_code == 403
    grant(viewer, env, "approver")
    reviewer = login(viewer)
    assert f"#{run_id}" in reviewer.get("/approvals").get_data(as_text=True)
    reviewer.post(f"/runs/{run_id}/approve", page=f"/runs/{run_id}")
    assert wait_for(run_id, "approved", timeout=10).state == "approved"


# One environment name is configured for two approvers (conftest); each test changes its
# code (marker) so that every plan there has changes, whatever ran before.


def test_two_distinct_approvers_are_needed_where_configured(
    worker, make_user, make_environment, login, wait_for, run_state, audit_actions
) -> None:
    env = make_environment(name=TWO_APPROVER_ENV, marker=uuid.uuid4().hex)
    operator = login(make_user("operator"))
    run_id = operator.start_plan(env)
    wait_for(run_id, "awaiting_approval", timeout=60)
    panel = operator.get(f"/runs/{run_id}/panel").get_data(as_text=True)
    assert "0 of 2 approvals" in panel and "Waiting for 2 approvers other than you" in panel

    first = login(make_user("approver"))
    first.post(f"/runs/{run_id}/approve", {"comment": "one"}, page=f"/runs/{run_id}")
    run = run_state(run_id)
    assert run.state == "awaiting_approval"
    assert run.status_detail.startswith("1 of 2 approvals")
    panel = first.get(f"/runs/{run_id}/panel").get_data(as_text=True)
    assert f"1 of 2 approvals: {first.user.username}" in panel
    assert 'id="approve-button"' not in panel  # each approver decides once
    again = first.post(f"/runs/{run_id}/approve", follow_redirects=True, page=f"/runs/{run_id}")
    assert "each approver decides once" in again.get_data(as_text=True)
    assert run_state(run_id).state == "awaiting_approval"
    assert operator.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}").status_code == 302
    assert run_state(run_id).apply_requested_at is None  # not approved yet: refused

    second = login(make_user("approver"))
    second.post(f"/runs/{run_id}/approve", {"comment": "two"}, page=f"/runs/{run_id}")
    run = wait_for(run_id, "approved", timeout=10)
    assert f"Approved by {first.user.username}, {second.user.username} (2 of 2)" in (
        run.status_detail
    )
    operator.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}")
    run = wait_for(run_id, "applied", "failed", timeout=60)
    assert run.state == "applied", run.status_detail
    log = "\n".join(line["text"] for line in operator.get(f"/runs/{run_id}/log").get_json())
    assert f"approved by {first.user.username}, {second.user.username}" in log
    assert audit_actions(run_id).count("approval.approved") == 2


def test_one_rejection_ends_a_run_that_needs_two_approvals(
    worker, make_user, make_environment, login, wait_for, run_state
) -> None:
    env = make_environment(name=TWO_APPROVER_ENV, marker=uuid.uuid4().hex)
    run_id = login(make_user("operator")).start_plan(env)
    wait_for(run_id, "awaiting_approval", timeout=60)
    login(make_user("approver")).post(f"/runs/{run_id}/approve", page=f"/runs/{run_id}")
    login(make_user("approver")).post(f"/runs/{run_id}/reject", page=f"/runs/{run_id}")
    assert run_state(run_id).state == "rejected"


def test_the_worker_refuses_an_apply_with_too_few_approvals(
    worker, app, make_user, make_environment, login, wait_for
) -> None:
    """Defence in depth: a run forced to approved in the database with one approval,
    where two are needed, is not applied."""
    from portal import db
    from portal.models import Run

    env = make_environment(name=TWO_APPROVER_ENV, marker=uuid.uuid4().hex)
    operator = login(make_user("operator"))
    run_id = operator.start_plan(env)
    wait_for(run_id, "awaiting_approval", timeout=60)
    login(make_user("approver")).post(f"/runs/{run_id}/approve", page=f"/runs/{run_id}")
    with app.app_context():
        db.session.get(Run, run_id).state = "approved"
        db.session.commit()
        db.session.remove()
    operator.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}")
    run = wait_for(run_id, "failed", "applied", timeout=60)
    assert run.state == "failed"
    assert f"where {TWO_APPROVER_ENV} needs 2; refusing to apply" in run.status_detail


# --- the admin page ------------------------------------------------------------------------


def _user_row(page: str, username: str) -> str:
    start = page.index(f'id="user-{username}"')
    return page[start : page.index("</tr>", start)]


def test_only_admins_reach_the_users_page(make_user, login) -> None:
    for role in ("viewer", "operator", "approver"):
        browser = login(make_user(role))
        assert browser.get("/admin/users").status_code == 403, role
        assert "/admin/users" not in browser.get("/").get_data(as_text=True)
    admin = login(make_user("admin"))
    assert admin.get("/admin/users").status_code == 200
    assert "/admin/users" in admin.get("/").get_data(as_text=True)


def test_admin_creates_a_user_whose_password_is_shown_once(
    app, make_user, login, audit_actions
) -> None:
    admin = login(make_user("admin"))
    response = admin.post(
        "/admin/users", {"username": "New.Person", "role": "operator"}, page="/admin/users"
    )
    assert response.status_code == 201
    page = response.get_data(as_text=True)
    password = re.search(r'id="new-password">([^<]+)<', page).group(1)
    assert "new.person" in _user_row(page, "new.person")
    # Not in the cookie (a flash message would be), not on the next page view.
    assert password not in (response.headers.get("Set-Cookie") or "")
    assert password not in admin.get("/admin/users").get_data(as_text=True)
    client = app.test_client()
    from tests.portal.conftest import csrf_token

    token = csrf_token(client.get("/login").get_data(as_text=True))
    signed_in = client.post(
        "/login", data={"csrf_token": token, "username": "new.person", "password": password}
    )
    assert signed_in.status_code == 302

    for bad, message in (
        ({"username": "new.person", "role": "viewer"}, "already exists"),
        ({"username": "no spaces", "role": "viewer"}, "User names are 2-64 characters"),
        ({"username": "x", "role": "wizard"}, "Give a user name and a role"),
    ):
        refused = admin.post("/admin/users", bad, page="/admin/users")
        assert refused.status_code == 400, bad
        assert message in refused.get_data(as_text=True), bad


def test_admin_grants_roles_per_environment_and_the_user_is_signed_out(
    app, make_user, make_environment, login
) -> None:
    from portal import db
    from portal.models import AuditEvent

    env = make_environment()
    admin = login(make_user("admin"))
    target = make_user("viewer")
    victim_session = login(target)
    assert victim_session.get("/").status_code == 200
    admin.get("/")  # the environment gets its row when a page lists it
    response = admin.post(
        f"/admin/users/{target.id}/grants",
        {"environment": env, "role": "operator"},
        page="/admin/users",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert f"{target.username} on {env}: operator." in page
    assert f"<code>{env}</code> operator" in _user_row(page, target.username)
    # Taking or giving rights ends the user's sessions: pages never keep old rights.
    assert victim_session.get("/").status_code == 302
    assert re.search(
        rf'id="env-{env}".*?class="role">operator<',
        login(target).get("/").get_data(as_text=True),
        re.S,
    )

    admin.post(
        f"/admin/users/{target.id}/grants", {"environment": env, "role": ""}, page="/admin/users"
    )
    unknown = admin.post(
        f"/admin/users/{target.id}/grants",
        {"environment": "no-such-env", "role": "admin"},
        page="/admin/users",
        follow_redirects=True,
    )
    assert "There is no environment named no-such-env" in unknown.get_data(as_text=True)
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "user.grant_changed", AuditEvent.environment_name == env)
            .order_by(AuditEvent.id)
        ).all()
        assert [(e.actor, e.details["old"], e.details["new"]) for e in events] == [
            (admin.user.username, "default (viewer)", "operator"),
            (admin.user.username, "operator", "default (viewer)"),
        ]


def test_admin_changes_roles_disables_resets_and_revokes_tokens(
    app, make_user, login, audit_actions
) -> None:
    from portal import db
    from portal.models import AuditEvent

    admin = login(make_user("admin"))
    target = make_user("operator")
    browser = login(target)
    token = api_token(browser)
    auth = {"Authorization": f"Bearer {token}"}
    assert browser.get("/api/v1/environments", headers=auth).status_code == 200

    admin.post(f"/admin/users/{target.id}/role", {"role": "approver"}, page="/admin/users")
    page = admin.get("/admin/users").get_data(as_text=True)
    assert '<option value="approver" selected>' in _user_row(page, target.username)

    token_id = int(
        re.search(r"/admin/tokens/(\d+)/revoke", _user_row(page, target.username)).group(1)
    )
    admin.post(f"/admin/tokens/{token_id}/revoke", page="/admin/users")
    assert browser.get("/api/v1/environments", headers=auth).status_code == 401

    reset = admin.post(f"/admin/users/{target.id}/password", page="/admin/users")
    new_password = re.search(r'id="new-password">([^<]+)<', reset.get_data(as_text=True)).group(1)
    assert login(target, new_password).get("/").status_code == 200

    admin.post(f"/admin/users/{target.id}/active", {"active": "false"}, page="/admin/users")
    assert "disabled" in _user_row(
        admin.get("/admin/users").get_data(as_text=True), target.username
    )
    assert browser.get("/").status_code == 302
    with app.app_context():
        actions = [
            e.action
            for e in db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.actor == admin.user.username)
                .order_by(AuditEvent.id)
            )
        ]
    assert actions[-4:] == [
        "user.role_changed",
        "token.revoked",
        "user.password_reset",
        "user.disabled",
    ]


def test_the_last_admin_cannot_be_demoted_or_disabled(app, make_user, login) -> None:
    from portal import accounts, db
    from portal.models import Role, User

    admin = make_user("admin")
    with app.app_context():
        # Only this admin stays active for the duration of the test.
        others = db.session.scalars(
            select(User).where(User.role == Role.ADMIN.value, User.id != admin.id, User.active)
        ).all()
        for other in others:
            other.active = False
        db.session.commit()
    try:
        browser = login(admin)
        for path, data in (
            (f"/admin/users/{admin.id}/role", {"role": "viewer"}),
            (f"/admin/users/{admin.id}/active", {"active": "false"}),
        ):
            page = browser.post(path, data, page="/admin/users", follow_redirects=True)
            assert "is the last active admin" in page.get_data(as_text=True), path
        with app.app_context():
            user = db.session.get(User, admin.id)
            assert user.role == "admin" and user.active
            with pytest.raises(accounts.AccountError):
                accounts.set_role(db.session, "test", user, "viewer")
            db.session.rollback()
    finally:
        with app.app_context():
            for other in others:
                db.session.get(User, other.id).active = True
            db.session.commit()
            db.session.remove()


def test_api_environment_shows_the_callers_role_there(
    make_user, make_environment, login, grant
) -> None:
    env = make_environment()
    user = make_user("viewer")
    browser = login(user)
    browser.get("/")
    grant(user, env, "approver")
    browser = login(user)
    token = api_token(browser)
    body = browser.get(
        f"/api/v1/environments/{env}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert body["your_role"] == "approver" and body["approvals_required"] == 1
    missing = browser.get("/api/v1/environments/nope", headers={"Authorization": f"Bearer {token}"})
    assert missing.status_code == 404 and "no environment named nope" in missing.get_json()["error"]
