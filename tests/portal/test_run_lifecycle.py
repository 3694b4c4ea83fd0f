"""Runs end to end on a real Celery worker with real Terraform: plan, four-eyes approval,
apply of the approved plan file, and the refusals around it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.portal


def test_plan_approve_apply_ends_applied_and_records_every_step(
    worker, make_environment, make_user, login, wait_for, audit_actions, app
):
    env = make_environment(steps=2, marker="first")
    requester, approver = make_user("operator"), make_user("approver")
    operator = login(requester)

    run_id = operator.start_plan(env, "first deploy")
    run = wait_for(run_id, "awaiting_approval", timeout=60)
    page = operator.get(f"/runs/{run_id}").get_data(as_text=True)
    assert "2 to add" in page and "terraform_data.step[0]" in page

    reviewer = login(approver)
    response = reviewer.post(
        f"/runs/{run_id}/approve", {"comment": "looks right"}, page=f"/runs/{run_id}"
    )
    assert response.status_code == 302
    assert wait_for(run_id, "approved", timeout=5).state == "approved"

    operator.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}")
    run = wait_for(run_id, "applied", "failed", "discarded", timeout=90)
    assert run.state == "applied", run.status_detail

    log = operator.get(f"/runs/{run_id}/log").get_json()
    texts = [line["text"] for line in log]
    assert [line["offset"] for line in log] == list(range(1, len(log) + 1))
    assert any("Apply complete! Resources: 2 added" in t for t in texts)
    assert any("step 1 done" in t for t in texts)

    actions = audit_actions(run_id)
    for expected in (
        "run.requested",
        "run.planning",
        "run.planned",
        "run.awaiting_approval",
        "approval.approved",
        "run.approved",
        "run.apply_requested",
        "run.applying",
        "run.applied",
    ):
        assert expected in actions, (expected, actions)
    # The environment is free again.
    envs = operator.get("/").get_data(as_text=True)
    assert f'id="env-{env}"' in envs
    # Its page shows what Terraform now reports: the outputs and the resources in state.
    page = operator.get(f"/environments/{env}").get_data(as_text=True)
    assert f"run #{run_id}</a>" in page
    assert "<code>inputs</code>" in page and '"first-0"' in page and '"first-1"' in page
    assert "2 resources" in page
    assert "<code>terraform_data.step[0]</code>" in page
    assert "<code>terraform_data.step[1]</code>" in page


@pytest.fixture
def planned(worker, make_environment, make_user, login, wait_for):  # type: ignore[no-untyped-def]
    """A factory: an environment planned by an operator, optionally approved."""

    def make(approve: bool = True, **environment):  # type: ignore[no-untyped-def]
        env = make_environment(**environment)
        operator = login(make_user("operator"))
        run_id = operator.start_plan(env)
        wait_for(run_id, "awaiting_approval", timeout=60)
        if approve:
            reviewer = login(make_user("approver"))
            reviewer.post(f"/runs/{run_id}/approve", {"comment": "ok"}, page=f"/runs/{run_id}")
            wait_for(run_id, "approved", timeout=5)
        return env, run_id, operator

    return make


def test_requester_cannot_approve_own_run_even_as_admin(
    worker, make_environment, make_user, login, wait_for, audit_actions
):
    env = make_environment()
    admin = login(make_user("admin"))
    run_id = admin.start_plan(env)
    wait_for(run_id, "awaiting_approval", timeout=60)
    page = admin.get(f"/runs/{run_id}").get_data(as_text=True)
    assert "approve-button" not in page and "other than you" in page

    response = admin.post(
        f"/runs/{run_id}/approve", {"comment": "me"}, page=f"/runs/{run_id}", follow_redirects=True
    )
    assert "cannot approve it" in response.get_data(as_text=True)
    assert wait_for(run_id, "awaiting_approval", timeout=1).state == "awaiting_approval"
    assert "approval.refused" in audit_actions(run_id)
    assert "approval.approved" not in audit_actions(run_id)


def test_viewer_and_operator_cannot_approve(planned, make_user, login, run_state):
    _, run_id, _ = planned(approve=False)
    for role in ("viewer", "operator"):
        response = login(make_user(role)).post(f"/runs/{run_id}/approve", page=f"/runs/{run_id}")
        assert response.status_code == 403
    assert run_state(run_id).state == "awaiting_approval"


def test_plan_altered_after_approval_is_refused_and_nothing_is_applied(
    planned, app, wait_for, audit_actions, settings
):
    from sqlalchemy import text

    from portal import db

    env, run_id, operator = planned()
    with app.app_context():
        db.session.execute(
            text("UPDATE plans SET data = data || '\\x00'::bytea WHERE run_id = :r"), {"r": run_id}
        )
        db.session.commit()
    operator.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}")
    run = wait_for(run_id, "failed", "applied", timeout=60)
    assert run.state == "failed"
    assert "altered after approval" in run.status_detail
    assert "plan.tampered" in audit_actions(run_id)
    log = "\n".join(line["text"] for line in operator.get(f"/runs/{run_id}/log").get_json())
    assert "Apply complete" not in log and "terraform apply" not in log
    state_file = settings.data_dir / "state" / env / "terraform.tfstate"
    assert not state_file.exists() or '"resources": []' in state_file.read_text()


def test_code_changed_after_approval_discards_the_plan(planned, terraform_tree, wait_for):
    env, run_id, operator = planned()
    main = terraform_tree / "environments" / env / "main.tf"
    main.write_text(main.read_text().replace('"v1-', '"v2-'))
    operator.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}")
    run = wait_for(run_id, "discarded", "applied", "failed", timeout=60)
    assert run.state == "discarded"
    assert "code changed since the plan" in run.status_detail


def test_state_changed_outside_the_portal_discards_the_plan(planned, settings, wait_for):
    env, run_id, operator = planned()
    state_file = settings.data_dir / "state" / env / "terraform.tfstate"
    state_file.write_text(
        '{"version": 4, "terraform_version": "1.11.4", "serial": 1, '
        '"lineage": "someone-else", "outputs": {}, "resources": []}'
    )
    operator.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}")
    run = wait_for(run_id, "discarded", "applied", "failed", timeout=60)
    assert run.state == "discarded"
    assert "state moved since the plan" in run.status_detail


def test_rejected_plan_frees_the_environment_and_cannot_be_applied(
    planned, make_user, login, wait_for, run_state
):
    env, run_id, operator = planned(approve=False)
    login(make_user("approver")).post(
        f"/runs/{run_id}/reject", {"comment": "not today"}, page=f"/runs/{run_id}"
    )
    wait_for(run_id, "rejected", timeout=5)
    response = operator.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}", follow_redirects=True)
    assert "only an approved plan can be applied" in response.get_data(as_text=True)
    assert run_state(run_id).state == "rejected"
    second = operator.start_plan(env)
    wait_for(second, "awaiting_approval", timeout=60)


def test_replanning_after_apply_shows_no_changes_and_releases_the_lock(planned, wait_for, app):
    from portal import db
    from portal.models import Environment

    env, run_id, operator = planned()
    operator.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}")
    wait_for(run_id, "applied", timeout=60)
    again = operator.start_plan(env)
    run = wait_for(again, "no_changes", "awaiting_approval", timeout=60)
    assert run.state == "no_changes"
    with app.app_context():
        assert db.session.get(Environment, env).lock_run_id is None


def test_two_runs_on_one_environment_serialise(planned, make_user, login, wait_for, run_state):
    env, first, operator = planned(sleep=2)
    second = login(make_user("operator")).start_plan(env, "second")
    operator.post(f"/runs/{first}/apply", page=f"/runs/{first}")
    # While the first run holds the environment, the second only waits.
    waiting = run_state(second)
    assert waiting.state == "queued" and f"Waiting for run #{first}" in waiting.status_detail
    page = operator.get("/").get_data(as_text=True)
    assert f"run #{first}</a>" in page
    wait_for(first, "applied", timeout=60)
    wait_for(second, "no_changes", "awaiting_approval", timeout=60)
    first_run, second_run = run_state(first), run_state(second)
    assert second_run.started_at >= first_run.finished_at


def test_cancelling_a_queued_run_needs_no_worker(planned, make_user, login, wait_for, run_state):
    env, first, _ = planned(approve=False)
    other = login(make_user("operator"))
    second = other.start_plan(env)
    other.post(f"/runs/{second}/cancel", page=f"/runs/{second}")
    assert run_state(second).state == "cancelled"
    assert run_state(first).state == "awaiting_approval"  # the holder is untouched


def test_cancel_interrupts_a_running_apply_so_terraform_stops_cleanly(
    planned, wait_for, run_state, audit_actions
):
    env, run_id, operator = planned(sleep=60)
    operator.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}")
    wait_for(run_id, "applying", timeout=30)
    _wait_for_log(operator, run_id, "step 0 starting")

    operator.post(f"/runs/{run_id}/cancel", page=f"/runs/{run_id}")

    run = wait_for(run_id, "cancelled", "failed", "applied", timeout=30)
    assert run.state == "cancelled", run.status_detail
    assert "interrupted and stopped cleanly" in run.status_detail
    log = "\n".join(line["text"] for line in operator.get(f"/runs/{run_id}/log").get_json())
    assert "Interrupt received" in log
    assert "(local-exec): step 0 done" not in log
    assert "run.cancel_requested" in audit_actions(run_id)
    # The environment is free for the next run.
    next_run = operator.start_plan(env)
    wait_for(next_run, "awaiting_approval", "no_changes", timeout=60)


def _wait_for_log(browser, run_id: int, needle: str, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = browser.get(f"/runs/{run_id}/log").get_json()
        if any(needle in line["text"] for line in lines):
            return
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared in run {run_id}'s log")


def test_a_queued_run_survives_a_worker_restart(
    worker, make_environment, make_user, login, wait_for, run_state
):
    worker.stop()
    env = make_environment()
    operator = login(make_user("operator"))
    run_id = operator.start_plan(env)
    assert run_state(run_id).state == "queued"  # the task waits in Redis
    worker.start()
    assert wait_for(run_id, "awaiting_approval", timeout=60).state == "awaiting_approval"


def test_a_run_whose_task_was_lost_by_the_broker_is_redispatched(
    worker, make_environment, make_user, login, wait_for, app, services
):
    import redis
    from sqlalchemy import text

    from portal import db

    worker.stop()
    env = make_environment()
    operator = login(make_user("operator"))
    run_id = operator.start_plan(env)
    redis.Redis.from_url(services["redis_url"]).flushall()  # Redis restarted empty
    worker.start()
    with app.app_context():
        db.session.execute(
            text("UPDATE runs SET dispatched_at = now() - interval '1 hour' WHERE id = :r"),
            {"r": run_id},
        )
        db.session.commit()
    run = wait_for(
        run_id, "awaiting_approval", timeout=60, poll=lambda: operator.get("/runs")
    )  # any page runs the reaper
    assert run.state == "awaiting_approval"


def test_worker_killed_mid_run_leaves_the_run_failed_with_guidance(
    planned, worker, wait_for, audit_actions, app, settings
):
    import time

    from tests.portal.conftest import HEARTBEAT_TIMEOUT

    env, run_id, operator = planned(sleep=60)
    operator.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}")
    wait_for(run_id, "applying", timeout=30)
    _wait_for_log(operator, run_id, "step 0 starting")
    worker.kill()
    killed_at = time.monotonic()
    run = wait_for(
        run_id,
        "failed",
        timeout=HEARTBEAT_TIMEOUT + 10,
        poll=lambda: operator.get(f"/runs/{run_id}"),
    )
    assert time.monotonic() - killed_at <= HEARTBEAT_TIMEOUT + 5
    assert "stopped responding" in run.status_detail
    assert "start a new plan" in run.status_detail
    assert "run.failed" in audit_actions(run_id)
    from portal import db
    from portal.models import Environment

    with app.app_context():
        assert db.session.get(Environment, env).lock_run_id is None
    # Terraform did not outlive its worker (it is interrupted when its parent dies).
    assert _terraform_processes_in(settings.data_dir / "runs") == []


def _terraform_processes_in(directory, timeout: float = 15) -> list[int]:  # type: ignore[no-untyped-def]
    import os
    import time
    from pathlib import Path

    deadline = time.monotonic() + timeout
    while True:
        found = []
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                cwd = os.readlink(proc / "cwd")
                name = (proc / "comm").read_text().strip()
            except OSError:
                continue
            if name == "terraform" and cwd.startswith(str(directory)):
                found.append(int(proc.name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)
