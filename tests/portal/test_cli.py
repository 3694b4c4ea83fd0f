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

    from app import db
    from app.models import AuditEvent

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
