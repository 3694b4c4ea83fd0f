"""The JSON API with bearer tokens: the same lifecycle and rules as the browser."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.portal


def api_token(browser) -> str:  # type: ignore[no-untyped-def]
    response = browser.post("/account/tokens", {"name": "ci"}, page="/account/tokens")
    match = re.search(r'id="new-token">(ptk_[^<]+)<', response.get_data(as_text=True))
    assert match, "the new token is shown once"
    return match.group(1)


@pytest.fixture
def api(app):  # type: ignore[no-untyped-def]
    client = app.test_client()

    def call(method: str, path: str, token: str, json: dict | None = None):  # type: ignore[no-untyped-def]
        return client.open(
            f"/api/v1{path}", method=method, json=json, headers={"Authorization": f"Bearer {token}"}
        )

    return call


def test_plan_approve_apply_through_the_api(
    api, make_user, login, make_environment, worker, wait_for
):
    env = make_environment()
    operator = api_token(login(make_user("operator")))
    approver = api_token(login(make_user("approver")))

    created = api("POST", "/runs", operator, {"environment": env, "message": "from CI"})
    assert created.status_code == 202
    run_id = created.get_json()["id"]
    wait_for(run_id, "awaiting_approval", timeout=60)
    body = api("GET", f"/runs/{run_id}", operator).get_json()
    assert body["plan"]["summary"]["add"] == 1 and len(body["plan"]["sha256"]) == 64

    own = api("POST", f"/runs/{run_id}/approve", operator, {"comment": "me"})
    assert own.status_code == 403  # operators cannot approve at all

    approved = api("POST", f"/runs/{run_id}/approve", approver, {"comment": "fine"})
    assert approved.status_code == 200
    assert approved.get_json()["approvals"][0]["plan_sha256"] == body["plan"]["sha256"]

    assert api("POST", f"/runs/{run_id}/apply", approver).status_code == 403
    assert api("POST", f"/runs/{run_id}/apply", operator).status_code == 202
    assert wait_for(run_id, "applied", timeout=60).state == "applied"
    log = api("GET", f"/runs/{run_id}/log?after=0", operator).get_json()
    assert any("Apply complete" in line["text"] for line in log)


def test_approval_fields_are_never_client_writable(
    api, make_user, login, make_environment, worker, wait_for, run_state
):
    env = make_environment()
    operator = api_token(login(make_user("operator")))
    approver_user = make_user("approver")
    approver = api_token(login(approver_user))
    run_id = api("POST", "/runs", operator, {"environment": env}).get_json()["id"]
    wait_for(run_id, "awaiting_approval", timeout=60)
    for forged in (
        {"approved_by": "someone"},
        {"plan_sha256": "0" * 64},
        {"state": "approved"},
        {"comment": "x", "decision": "approved"},
    ):
        response = api("POST", f"/runs/{run_id}/approve", approver, forged)
        assert response.status_code == 400, forged
        assert "set by the server" in response.get_json()["error"]
    created = api("POST", "/runs", operator, {"environment": env, "state": "applied"})
    assert created.status_code == 400
    assert run_state(run_id).state == "awaiting_approval"


def test_requester_with_approver_rights_cannot_approve_own_run_via_api(
    api, make_user, login, make_environment, worker, wait_for
):
    env = make_environment()
    admin = api_token(login(make_user("admin")))
    run_id = api("POST", "/runs", admin, {"environment": env}).get_json()["id"]
    wait_for(run_id, "awaiting_approval", timeout=60)
    response = api("POST", f"/runs/{run_id}/approve", admin, {})
    assert response.status_code == 403
    assert "four-eyes" in response.get_json()["error"]


def test_revoked_and_unknown_tokens_are_refused(api, make_user, login, app):
    browser = login(make_user("operator"))
    token = api_token(browser)
    assert api("GET", "/environments", token).status_code == 200
    page = browser.get("/account/tokens").get_data(as_text=True)
    token_id = re.search(r"/account/tokens/(\d+)/revoke", page).group(1)
    browser.post(f"/account/tokens/{token_id}/revoke", page="/account/tokens")
    assert api("GET", "/environments", token).status_code == 401
    assert api("GET", "/environments", "ptk_made-up").status_code == 401


def test_unknown_environment_and_run_are_clear_errors(api, make_user, login):
    token = api_token(login(make_user("operator")))
    response = api("POST", "/runs", token, {"environment": "nowhere"})
    assert (
        response.status_code == 404
        and "no environment named nowhere" in response.get_json()["error"]
    )
    assert api("GET", "/runs/999999", token).status_code == 404


def test_remote_backend_environment_without_credentials_is_refused_clearly(
    api, make_user, login, terraform_tree
):
    env_dir = terraform_tree / "environments" / "cloudy"
    env_dir.mkdir(exist_ok=True)
    (env_dir / "main.tf").write_text('terraform {\n  backend "s3" {}\n}\n')
    token = api_token(login(make_user("operator")))
    response = api("POST", "/runs", token, {"environment": "cloudy"})
    assert response.status_code == 409
    assert "PORTAL_TF_CLOUDY__AWS_PROFILE" in response.get_json()["error"]
