"""The admin CLI: the first admin's password is generated and printed once."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.portal.conftest import csrf_token

pytestmark = pytest.mark.portal


def test_create_user_prints_a_generated_password_that_signs_in(app) -> None:
    name = f"admin-{uuid.uuid4().hex[:6]}"
    result = app.test_cli_runner().invoke(args=["users", "create", name, "--role", "admin"])
    assert result.exit_code == 0, result.output
    password = re.search(r"Password \(shown once, store it now\): (\S+)", result.output).group(1)
    assert len(password) >= 20

    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"csrf_token": token, "username": name, "password": password}
    )
    assert response.status_code == 302

    again = app.test_cli_runner().invoke(args=["users", "create", name])
    assert again.exit_code != 0 and "already exists" in again.output


def test_password_from_stdin_must_be_long_enough(app) -> None:
    runner = app.test_cli_runner()
    short = runner.invoke(
        args=["users", "create", f"u-{uuid.uuid4().hex[:6]}", "--password-stdin"], input="short\n"
    )
    assert short.exit_code != 0 and "at least 12" in short.output
    ok = runner.invoke(
        args=[
            "users",
            "create",
            f"u-{uuid.uuid4().hex[:6]}",
            "--password-stdin",
            "--role",
            "operator",
        ],
        input="a sufficiently long one\n",
    )
    assert ok.exit_code == 0 and "Password" not in ok.output


def test_role_change_is_audited(app) -> None:
    from sqlalchemy import select

    from portal import db
    from portal.models import AuditEvent

    runner = app.test_cli_runner()
    name = f"u-{uuid.uuid4().hex[:6]}"
    runner.invoke(args=["users", "create", name])
    result = runner.invoke(args=["users", "set-role", name, "approver"])
    assert result.exit_code == 0 and "viewer -> approver" in result.output
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "user.role_changed")
            .order_by(AuditEvent.id.desc())
        ).first()
        assert event.details == {"username": name, "old": "viewer", "new": "approver"}


def test_grant_a_role_on_one_environment_from_the_command_line(app, make_environment) -> None:
    env = make_environment()
    runner = app.test_cli_runner()
    name = f"u-{uuid.uuid4().hex[:6]}"
    runner.invoke(args=["users", "create", name, "--role", "viewer"])
    result = runner.invoke(args=["users", "grant", name, env, "operator"])
    assert result.exit_code == 0 and f"{name} on {env}: operator" in result.output
    listed = runner.invoke(args=["users", "list"]).output
    assert re.search(rf"^{name}\s+viewer\s+active\s+{env}=operator$", listed, re.M), listed
    back = runner.invoke(args=["users", "grant", name, env, "--default"])
    assert back.exit_code == 0 and "default (viewer)" in back.output
    for bad, message in (
        ([name, env], "Give either a ROLE or --default"),
        ([name, "no-such-env", "admin"], "There is no environment named no-such-env"),
        (["nobody", env, "admin"], "There is no user nobody"),
    ):
        refused = runner.invoke(args=["users", "grant", *bad])
        assert refused.exit_code != 0 and message in refused.output, (bad, refused.output)
