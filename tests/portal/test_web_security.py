"""Authentication, CSRF, roles, sessions and sign-in throttling on the real app."""

from __future__ import annotations

import re

import pytest

from tests.portal.conftest import PASSWORD, csrf_token

pytestmark = pytest.mark.portal


def state_changing_routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    routes = []
    for rule in app.url_map.iter_rules():
        methods = rule.methods - {"GET", "HEAD", "OPTIONS"}
        for method in sorted(methods):
            routes.append((method, rule.rule))
    return sorted(routes)


def concrete(path: str) -> str:
    return re.sub(r"<(?:int:)?(\w+)>", lambda m: "1" if "id" in m.group(1) else "local", path)


def test_every_state_changing_route_is_known(app) -> None:
    # A new POST route must be added here on purpose (and so gets the checks below).
    assert state_changing_routes(app) == [
        ("POST", "/account/tokens"),
        ("POST", "/account/tokens/<int:token_id>/revoke"),
        ("POST", "/admin/tokens/<int:token_id>/revoke"),
        ("POST", "/admin/users"),
        ("POST", "/admin/users/<int:user_id>/active"),
        ("POST", "/admin/users/<int:user_id>/grants"),
        ("POST", "/admin/users/<int:user_id>/password"),
        ("POST", "/admin/users/<int:user_id>/role"),
        ("POST", "/api/v1/runs"),
        ("POST", "/api/v1/runs/<int:run_id>/apply"),
        ("POST", "/api/v1/runs/<int:run_id>/approve"),
        ("POST", "/api/v1/runs/<int:run_id>/cancel"),
        ("POST", "/api/v1/runs/<int:run_id>/reject"),
        ("POST", "/environments/<name>/unlock"),
        ("POST", "/login"),
        ("POST", "/logout"),
        ("POST", "/plan"),
        ("POST", "/runs/<int:run_id>/apply"),
        ("POST", "/runs/<int:run_id>/approve"),
        ("POST", "/runs/<int:run_id>/cancel"),
        ("POST", "/runs/<int:run_id>/reject"),
    ]


def test_every_form_route_needs_a_signed_in_user(app) -> None:
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    for method, rule in state_changing_routes(app):
        if rule.startswith("/api/") or rule == "/login":
            continue
        response = client.open(concrete(rule), method=method, data={"csrf_token": token})
        assert response.status_code == 302, (rule, response.status_code)
        assert "/login" in response.headers["Location"], rule


def test_every_form_route_rejects_a_missing_or_forged_csrf_token(app, make_user, login) -> None:
    browser = login(make_user("admin"))
    for method, rule in state_changing_routes(app):
        if rule.startswith("/api/"):
            continue
        for data in ({}, {"csrf_token": "forged"}):
            response = browser.client.open(concrete(rule), method=method, data=data)
            assert response.status_code == 400, (rule, data, response.status_code)
            assert "CSRF" in response.get_data(as_text=True)


def test_every_api_route_needs_a_bearer_token_and_ignores_the_session_cookie(
    app, make_user, login
) -> None:
    browser = login(make_user("admin"))  # a signed-in browser: cookies must not count
    for method, rule in state_changing_routes(app) + [("GET", "/api/v1/runs/1")]:
        if not rule.startswith("/api/"):
            continue
        response = browser.client.open(concrete(rule), method=method, json={})
        assert response.status_code == 401, rule
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_pages_need_sign_in(app) -> None:
    client = app.test_client()
    for path in (
        "/",
        "/runs",
        "/runs/1",
        "/approvals",
        "/audit",
        "/audit/export.csv",
        "/runs/1/events",
        "/runs/1/log",
        "/account/tokens",
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("viewer", False), ("approver", False), ("operator", True), ("admin", True)],
)
def test_only_operators_and_admins_can_start_a_plan(
    role, allowed, make_user, login, make_environment, run_state
) -> None:
    env = make_environment()
    browser = login(make_user(role))
    response = browser.post("/plan", {"environment": env})
    if allowed:
        assert response.status_code == 302 and "/runs/" in response.headers["Location"]
    else:
        assert response.status_code == 403


def test_only_admins_can_force_unlock(make_user, login, make_environment) -> None:
    env = make_environment()
    for role in ("viewer", "operator", "approver"):
        response = login(make_user(role)).post(f"/environments/{env}/unlock")
        assert response.status_code == 403, role


def test_session_cookie_is_httponly_samesite_and_secure_when_configured(
    app, settings, make_user
) -> None:
    from dataclasses import replace

    from app import create_app

    user = make_user("viewer")
    secure_app = create_app(
        {"TESTING": True}, settings=replace(settings, session_cookie_secure=True)
    )
    for flask_app, secure in ((app, False), (secure_app, True)):
        client = flask_app.test_client()
        token = csrf_token(client.get("/login").get_data(as_text=True))
        response = client.post(
            "/login",
            data={"csrf_token": token, "username": user.username, "password": PASSWORD},
            base_url="https://localhost" if secure else "http://localhost",
        )
        cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure


def test_sign_in_is_throttled_per_user_and_address(app, make_user, audit_actions) -> None:
    user = make_user("viewer")
    client = app.test_client()
    for _ in range(5):
        token = csrf_token(client.get("/login").get_data(as_text=True))
        response = client.post(
            "/login",
            data={"csrf_token": token, "username": user.username, "password": "wrong password!"},
        )
        assert response.status_code == 401
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"csrf_token": token, "username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.get_data(as_text=True)
    # Another address is not blocked by this one's failures.
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"csrf_token": token, "username": user.username, "password": PASSWORD},
        environ_overrides={"REMOTE_ADDR": "10.9.9.9"},
    )
    assert response.status_code == 302


def test_password_spraying_from_one_address_is_throttled(app, make_user) -> None:
    victim = make_user("viewer")
    client = app.test_client()
    spray = {"REMOTE_ADDR": "10.77.0.1"}
    for attempt in range(20):  # 4 x the per-user limit, each user tried once
        token = csrf_token(client.get("/login").get_data(as_text=True))
        response = client.post(
            "/login",
            environ_overrides=spray,
            data={
                "csrf_token": token,
                "username": f"guess{attempt}",
                "password": "wrong password!",
            },
        )
        assert response.status_code == 401
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        environ_overrides=spray,
        data={"csrf_token": token, "username": victim.username, "password": PASSWORD},
    )
    assert response.status_code == 429


def test_unknown_user_and_wrong_password_look_the_same(app, make_user) -> None:
    user = make_user("viewer")
    client = app.test_client()
    bodies = []
    for name in (user.username, "nobody-at-all"):
        token = csrf_token(client.get("/login").get_data(as_text=True))
        response = client.post(
            "/login",
            data={"csrf_token": token, "username": name, "password": "wrong password!"},
            environ_overrides={"REMOTE_ADDR": "10.1.1.1"},
        )
        assert response.status_code == 401
        bodies.append("Wrong user name or password." in response.get_data(as_text=True))
    assert bodies == [True, True]


def test_sign_in_does_not_redirect_off_site(app, make_user) -> None:
    user = make_user("viewer")
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login?next=//evil.example/",
        data={"csrf_token": token, "username": user.username, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_sso_header_is_ignored_by_default(app, make_user) -> None:
    user = make_user("viewer")
    response = app.test_client().get("/", headers={"X-Forwarded-User": user.username})
    assert response.status_code == 302


def test_sso_header_is_trusted_only_from_the_configured_proxy(settings, make_user) -> None:
    from dataclasses import replace

    from app import create_app

    user = make_user("viewer")
    sso_app = create_app(
        {"TESTING": True},
        settings=replace(
            settings, trusted_sso_header="X-Forwarded-User", trusted_proxies=("10.0.0.5",)
        ),
    )
    client = sso_app.test_client()
    headers = {"X-Forwarded-User": user.username}
    from_proxy = client.get("/", headers=headers, environ_overrides={"REMOTE_ADDR": "10.0.0.5"})
    assert from_proxy.status_code == 200 and user.username in from_proxy.get_data(as_text=True)
    direct = sso_app.test_client().get(
        "/", headers=headers, environ_overrides={"REMOTE_ADDR": "10.0.0.99"}
    )
    assert direct.status_code == 302


def test_user_text_is_escaped(make_user, login, make_environment, worker) -> None:
    browser = login(make_user("operator"))
    run_id = browser.start_plan(make_environment(), "<script>alert(1)</script>")
    page = browser.get(f"/runs/{run_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_health_check_needs_no_sign_in_and_reports_its_dependencies(app) -> None:
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_security_headers(app) -> None:
    response = app.test_client().get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_app_refuses_to_start_on_an_unmigrated_database(services, settings) -> None:
    from dataclasses import replace

    from app import create_app
    from portal.db import DatabaseNotMigrated

    url = services["pg"].create_database("empty_for_check")
    with pytest.raises(DatabaseNotMigrated, match="alembic upgrade head"):
        create_app(settings=replace(settings, database_url=url))
