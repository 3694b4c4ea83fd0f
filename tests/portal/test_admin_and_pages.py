"""Admin actions, per-environment settings, and the list pages."""

from __future__ import annotations

import json
import re

import pytest

from tests.portal.conftest import SECRET_VALUE
from tests.portal.test_api import api_token

pytestmark = pytest.mark.portal

SECRETIVE = """\
terraform {
  backend "local" {}
}

variable "api_token" {
  type      = string
  sensitive = true
}

resource "terraform_data" "uses_token" {
  input = "constant"

  provisioner "local-exec" {
    command = "echo token is $TOKEN"
    environment = {
      TOKEN = nonsensitive(var.api_token)
    }
  }
}

# A sensitive value inside a resource's attributes and in an output: Terraform marks both
# (before_sensitive / after_sensitive), and the portal must mask them everywhere.
resource "terraform_data" "credentials" {
  input = {
    user  = "deployer"
    token = var.api_token
  }
}

output "token" {
  value     = var.api_token
  sensitive = true
}

output "user" {
  value = "deployer"
}
"""


def test_admin_force_unlock_frees_the_environment_and_is_audited(
    planned_env, make_user, login, wait_for, run_state, audit_actions, app
):
    env, run_id, operator = planned_env
    second = operator.start_plan(env, "waiting behind the first")
    assert run_state(second).state == "queued"
    admin = login(make_user("admin"))
    page = admin.get("/").get_data(as_text=True)
    assert f"/environments/{env}/unlock" in page  # admins see the button
    admin.post(f"/environments/{env}/unlock")
    first = run_state(run_id)
    assert first.state == "discarded" and "force-released" in first.status_detail
    assert "environment.force_unlocked" in audit_actions(run_id)
    # The queued run gets the environment.
    wait_for(second, "awaiting_approval", timeout=60)


@pytest.fixture
def planned_env(worker, make_environment, make_user, login, wait_for):  # type: ignore[no-untyped-def]
    env = make_environment()
    operator = login(make_user("operator"))
    run_id = operator.start_plan(env)
    wait_for(run_id, "awaiting_approval", timeout=60)
    return env, run_id, operator


def test_force_cancel_of_a_run_whose_worker_is_gone_ends_it_at_once(
    planned_env, make_user, login, app, run_state, settings
):
    from sqlalchemy import text

    from portal import db

    env, run_id, operator = planned_env
    # Pretend an apply was running on a worker that stopped heartbeating 4 s ago (the reaper
    # would fail it after 6 s) and
    # an interrupt was sent long ago.
    with app.app_context():
        db.session.execute(
            text(
                "UPDATE runs SET state = 'applying', heartbeat_at = now() - interval '4 seconds',"
                " cancel_requested_at = now() - interval '1 minute' WHERE id = :r"
            ),
            {"r": run_id},
        )
        db.session.commit()
    operator.post(f"/runs/{run_id}/cancel", {"force": "y"}, page=f"/runs/{run_id}")
    run = run_state(run_id)
    assert run.state == "cancelled"
    assert "no worker was running it" in run.status_detail


def test_secrets_are_masked_in_the_log_and_setting_names_shown_not_values(
    worker, terraform_tree, make_user, login, wait_for
):
    env_dir = terraform_tree / "environments" / "secretive"
    env_dir.mkdir(exist_ok=True)
    (env_dir / "main.tf").write_text(SECRETIVE)
    operator = login(make_user("operator"))
    page = operator.get("/").get_data(as_text=True)
    assert "TF_VAR_api_token" in page and SECRET_VALUE not in page
    run_id = operator.start_plan("secretive")
    wait_for(run_id, "awaiting_approval", timeout=60)
    login(make_user("approver")).post(f"/runs/{run_id}/approve", page=f"/runs/{run_id}")
    operator.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}")
    run = wait_for(run_id, "applied", "failed", timeout=60)
    assert run.state == "applied", run.status_detail
    log = "\n".join(line["text"] for line in operator.get(f"/runs/{run_id}/log").get_json())
    assert "token is ***" in log
    assert SECRET_VALUE not in log
    # Nothing the portal serves about this run holds the value: pages, fragments, the plan
    # text, the log download and the API.
    token = api_token(operator)
    served = {
        path: operator.get(path).get_data(as_text=True)
        for path in (
            f"/runs/{run_id}",
            f"/runs/{run_id}/panel",
            f"/runs/{run_id}/plan-review",
            f"/runs/{run_id}/plan.txt",
            f"/runs/{run_id}/log.txt",
            f"/runs/{run_id}/log",
            "/runs",
            "/",
            "/environments/secretive",
        )
    }
    for path in (
        f"/api/v1/runs/{run_id}",
        f"/api/v1/runs/{run_id}/log",
        "/api/v1/environments",
        "/api/v1/environments/secretive",
    ):
        served[path] = operator.get(path, headers={"Authorization": f"Bearer {token}"}).get_data(
            as_text=True
        )
    leaked = [path for path, body in served.items() if SECRET_VALUE in body]
    assert not leaked, f"the sensitive value reached {leaked}"
    # ... while the reviewer still sees what is not secret, and where the masked value is.
    review = served[f"/runs/{run_id}/plan-review"]
    assert "deployer" in review and "(sensitive value)" in review
    assert "input.token" in review
    assert "(sensitive value)" in served[f"/runs/{run_id}/plan.txt"]
    # The environment page lists the sensitive output by name, without its value.
    assert re.search(
        r"<code>token</code></td>\s*<td><span class=\"muted\">\(sensitive value\)",
        served["/environments/secretive"],
    )
    outputs = json.loads(served["/api/v1/environments/secretive"])["outputs"]
    assert outputs["token"] == {"sensitive": True, "type": "string", "value": None}


def test_run_list_filters_and_approvals_inbox(planned_env, make_user, login):
    env, run_id, operator = planned_env
    page = operator.get(f"/runs?environment={env}").get_data(as_text=True)
    assert f'href="/runs/{run_id}"' in page
    page = operator.get(f"/runs?environment={env}&state=applied").get_data(as_text=True)
    assert f'href="/runs/{run_id}"' not in page
    page = operator.get(f"/runs?requested_by={operator.user.username}").get_data(as_text=True)
    assert f'href="/runs/{run_id}"' in page

    own_inbox = operator.get("/approvals").get_data(as_text=True)
    mine, own = own_inbox.split("Your own", 1)
    assert f'href="/runs/{run_id}"' in own and f'href="/runs/{run_id}"' not in mine
    reviewer_inbox = login(make_user("approver")).get("/approvals").get_data(as_text=True)
    mine, _ = reviewer_inbox.split("Your own", 1)
    assert f'href="/runs/{run_id}"' in mine


def test_force_cancel_is_offered_only_after_the_grace_period(planned_env, app, settings):
    from sqlalchemy import text

    from portal import db

    env, run_id, operator = planned_env

    def interrupt_sent(seconds_ago: int) -> str:
        with app.app_context():
            db.session.execute(
                text(
                    "UPDATE runs SET state = 'applying', heartbeat_at = now(),"
                    " cancel_requested_at = now() - make_interval(secs => :ago) WHERE id = :r"
                ),
                {"r": run_id, "ago": seconds_ago},
            )
            db.session.commit()
        return operator.get(f"/runs/{run_id}/panel").get_data(as_text=True)

    just_sent = interrupt_sent(0)
    assert 'id="force-cancel-button"' not in just_sent
    assert 'id="cancel-button"' not in just_sent  # the interrupt is already on its way
    assert f"after the {settings.cancel_grace} s grace period" in just_sent
    assert "data-refresh-at=" in just_sent  # the page re-reads the bar when it is due
    after_grace = interrupt_sent(settings.cancel_grace + 1)
    assert 'id="force-cancel-button"' in after_grace
    assert "data-refresh-at=" not in after_grace


def test_plan_text_and_log_download_need_a_sign_in_and_answer_for_a_missing_plan(
    app, login, stored_run
):
    owner, run_id = stored_run("cancelled")
    anonymous = app.test_client()
    for path in (f"/runs/{run_id}/plan.txt", f"/runs/{run_id}/log.txt"):
        assert anonymous.get(path).status_code == 302  # to the sign-in page
    browser = login(owner)
    missing = browser.get(f"/runs/{run_id}/plan.txt")
    assert missing.status_code == 404 and "no saved plan" in missing.get_data(as_text=True)
    empty_log = browser.get(f"/runs/{run_id}/log.txt")
    assert empty_log.status_code == 200 and empty_log.mimetype == "text/plain"
    assert empty_log.get_data(as_text=True) == ""


def test_every_page_has_an_icon(app):
    response = app.test_client().get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data


def test_state_set_aside_is_shown_and_older_runs_are_marked(
    app, stored_run, login, make_user, audit_actions
) -> None:
    """What `make run` records when a new emulator starts empty (flask environments
    state-set-aside): the page says so and runs made before are marked."""
    from portal import db
    from portal.models import Environment, Run

    owner, run_id = stored_run("applied")
    with app.app_context():
        env = db.session.get(Run, run_id).environment_name
        db.session.get(Environment, env).outputs = {"url": {"sensitive": False, "value": "x"}}
        db.session.commit()
        db.session.remove()
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["environments", "state-set-aside", env, "--note", "moved to old.tfstate."]
    )
    assert result.exit_code == 0, result.output
    unknown = runner.invoke(args=["environments", "state-set-aside", "nope", "--note", "x"])
    assert unknown.exit_code != 0 and "no environment named nope" in unknown.output

    browser = login(owner)
    page = browser.get(f"/environments/{env}").get_data(as_text=True)
    assert 'id="state-set-aside"' in page and "moved to old.tfstate." in page
    assert 'id="no-outputs"' in page  # the old state's outputs are gone with it
    assert "previous emulator" in page
    assert "previous emulator" in browser.get(f"/runs?environment={env}").get_data(as_text=True)
    panel = browser.get(f"/runs/{run_id}/panel").get_data(as_text=True)
    assert 'id="previous-state"' in panel
    assert "state set aside" in browser.get("/").get_data(as_text=True)
    with app.app_context():
        from sqlalchemy import select

        from portal.models import AuditEvent

        event = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "environment.state_set_aside",
                AuditEvent.environment_name == env,
            )
        ).one()
        assert event.actor == "cli" and event.details["note"] == "moved to old.tfstate."
