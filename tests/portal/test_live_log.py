"""Live logs over Server-Sent Events: every line exactly once, in order, from any offset."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.portal


def read_events(response) -> list[tuple[str, str | None, dict]]:  # type: ignore[no-untyped-def]
    events, buffer = [], ""
    for chunk in response.response:
        buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            fields = dict(
                line.split(": ", 1)
                for line in block.splitlines()
                if ": " in line and not line.startswith(":")
            )
            if "event" in fields:
                events.append((fields["event"], fields.get("id"), json.loads(fields["data"])))
                if fields["event"] == "end":
                    response.close()
                    return events
    return events


def log_offsets(events) -> list[int]:  # type: ignore[no-untyped-def]
    """Offsets of every line received: stored lines come in pages (``logs``), live lines
    one per event (``log``)."""
    offsets: list[int] = []
    for kind, _, data in events:
        if kind == "logs":
            offsets.extend(offset for offset, _text in data["lines"])
        elif kind == "log":
            offsets.append(data["offset"])
    return offsets


def test_a_client_following_a_live_apply_receives_every_line_once_in_order(
    worker, make_environment, make_user, login, wait_for
):
    env = make_environment(steps=3, sleep=0.5)
    operator = login(make_user("operator"))
    run_id = operator.start_plan(env)
    wait_for(run_id, "awaiting_approval", timeout=60)
    login(make_user("approver")).post(f"/runs/{run_id}/approve", page=f"/runs/{run_id}")
    operator.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}")
    # Connect while the apply is running (or about to start) and follow it to the end.
    response = operator.client.get(f"/runs/{run_id}/events", buffered=False)
    assert response.mimetype == "text/event-stream"
    events = read_events(response)
    offsets = log_offsets(events)
    stored = operator.get(f"/runs/{run_id}/log").get_json()
    assert offsets == [line["offset"] for line in stored] == list(range(1, len(stored) + 1))
    # Event ids carry the last offset sent, so a reconnect resumes after it.
    ids = [int(event_id) for kind, event_id, _ in events if kind in ("log", "logs")]
    assert ids == sorted(ids) and ids[-1] == len(stored)
    states = [data for kind, _, data in events if kind == "state"]
    assert states[-1]["state"] == "applied" and events[-1][0] == "end"
    # State events are numbered: a browser applies them in order and ignores stale ones.
    seqs = [data["seq"] for data in states]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert events[-1][2]["seq"] == seqs[-1]


def test_a_reconnecting_client_resumes_after_its_last_event_id(
    worker, make_environment, make_user, login, wait_for
):
    env = make_environment()
    operator = login(make_user("operator"))
    run_id = operator.start_plan(env)
    wait_for(run_id, "awaiting_approval", timeout=60)
    login(make_user("approver")).post(f"/runs/{run_id}/approve", page=f"/runs/{run_id}")
    operator.post(f"/runs/{run_id}/apply", page=f"/runs/{run_id}")
    wait_for(run_id, "applied", timeout=60)
    stored = operator.get(f"/runs/{run_id}/log").get_json()
    response = operator.client.get(
        f"/runs/{run_id}/events", headers={"Last-Event-ID": "5"}, buffered=False
    )
    events = read_events(response)
    assert log_offsets(events) == list(range(6, len(stored) + 1))
    # A finished run's backlog arrives in pages, not one event per line.
    assert [kind for kind, _, _ in events].count("logs") == 1


def test_the_run_page_uses_event_source_without_reloading(
    worker, make_environment, make_user, login
):
    operator = login(make_user("operator"))
    run_id = operator.start_plan(make_environment())
    page = operator.get(f"/runs/{run_id}").get_data(as_text=True)
    assert f'data-events-url="/runs/{run_id}/events"' in page
    script = operator.get("/static/run.js").get_data(as_text=True)
    assert "new EventSource" in script and "location.reload" not in script
