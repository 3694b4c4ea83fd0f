"""Admin actions, per-environment settings, and the list pages."""

from __future__ import annotations

import pytest

from tests.portal.conftest import SECRET_VALUE

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

    from app import db

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
