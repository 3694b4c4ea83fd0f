"""Signing out ends the session on the server: a copied cookie stops working too."""

from __future__ import annotations

import pytest

from tests.portal.conftest import PASSWORD

pytestmark = pytest.mark.portal


def copied_session(app, browser):  # type: ignore[no-untyped-def]
    """A second client holding a copy of the signed-in browser's session cookie."""
    cookie = browser.client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    assert thief.get("/").status_code == 200  # the copy works while the session lives
    return thief


def signed_out(client) -> bool:  # type: ignore[no-untyped-def]
    response = client.get("/")
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_ends_every_copy_of_the_session(app, make_user, login):
    browser = login(make_user("viewer"))
    thief = copied_session(app, browser)
    browser.post("/logout")
    assert signed_out(browser.client)
    assert signed_out(thief)
    # Signing in again works and starts a fresh session.
    assert login(browser.user).get("/").status_code == 200


@pytest.mark.parametrize(
    "command",
    [
        ["users", "set-role", "{name}", "operator"],
        ["users", "disable", "{name}"],
        ["users", "reset-password", "{name}"],
    ],
)
def test_role_change_disabling_and_password_reset_end_sessions(app, make_user, login, command):
    user = make_user("viewer")
    browser = login(user, PASSWORD)
    thief = copied_session(app, browser)
    args = [part.format(name=user.username) for part in command]
    result = app.test_cli_runner().invoke(args=args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert signed_out(browser.client)
    assert signed_out(thief)


@pytest.mark.parametrize(
    "target", ["%2F%09%2Fevil.example", "%2F%0A%2Fevil.example", "%2F%5Cevil.example"]
)
def test_sign_in_never_redirects_off_site(app, make_user, target):
    from tests.portal.conftest import csrf_token

    user = make_user("viewer")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        f"/login?next={target}",
        data={"csrf_token": csrf_token(page), "username": user.username, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
