"""EventBridge target delivery for SNS topics and API destinations (an *extension*).

moto matches events against rules (``put_events``) and delivers to a few targets
(SQS, CloudWatch Logs, archives, other buses), but it has no SNS target at all (a
rule with an SNS target makes ``put_events`` raise ``NotImplementedError``) and its
API destination target, only with ``MOTO_EVENTS_INVOKE_HTTP=true``, sends no body and
none of the connection's authorisation. The platform's pipeline notifications are
rules with exactly those targets, so this module adds them:

* **SNS topic** targets: the event (or the target's ``Input`` / ``InputPath`` /
  ``InputTransformer`` result) is published into moto's SNS backend, so the topic's
  subscriptions (e.g. SQS queues) receive it as on AWS.
* **API destination** targets (``arn:aws:events:REGION:ACCOUNT:api-destination/NAME/ID``):
  an HTTP request to the destination's ``InvocationEndpoint`` with its ``HttpMethod``;
  body = the event JSON (or the transformed input); headers ``Content-Type:
  application/json``, the connection's authorisation (``API_KEY``: header
  ``ApiKeyName: ApiKeyValue``; ``BASIC``: ``Authorization: Basic ...``), the
  connection's ``InvocationHttpParameters`` (headers and query string) and the
  target's ``HttpParameters`` (headers, query string, ``*`` path parameters).

Rule matching stays moto's; every other target type is still delivered by moto.
Deliveries run on one background daemon thread fed by a FIFO queue, so the API call
that caused the event never waits for a receiver and events reach a target in the
order they were put. A failing delivery is retried a few times, then dropped; both
are logged to stdout (the emulator's log).

Differences from AWS: no dead-letter queues or retry policies (fixed retries), no
OAuth connections (sent without authorisation), no rate limiting, and ``time`` in
the delivered event is ISO-8601 with seconds, like AWS's. In an ``InputTemplate`` a
string value is inserted as-is and any other value as JSON (AWS quotes a bare string
placeholder outside quotes; don't rely on that).
"""

from __future__ import annotations

import base64
import copy
import json
import queue
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from emulator.moto_compat import fix

# Seconds to wait before each retry of a failed delivery.
RETRY_DELAYS = (0.2, 0.5, 1.0)
HTTP_TIMEOUT = 5.0

_queue: queue.Queue[tuple[str, Callable[[], None]]] = queue.Queue()
_worker_lock = threading.Lock()
_worker: threading.Thread | None = None


def _log(message: str) -> None:
    print(f"emulator: eventbridge delivery: {message}", flush=True)


def _run_deliveries() -> None:
    while True:
        description, deliver = _queue.get()
        for attempt, delay in enumerate((0.0, *RETRY_DELAYS)):
            if delay:
                time.sleep(delay)
            try:
                deliver()
                break
            except Exception as error:  # noqa: BLE001 - any receiver failure is retried
                _log(f"{description}: attempt {attempt + 1} failed: {error!r}")
        else:
            _log(f"{description}: dropped after {len(RETRY_DELAYS) + 1} attempts")
        _queue.task_done()


def enqueue(description: str, deliver: Callable[[], None]) -> None:
    """Run ``deliver`` on the delivery thread (started on first use)."""
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(
                target=_run_deliveries, name="eventbridge-delivery", daemon=True
            )
            _worker.start()
    _queue.put((description, deliver))


def _iso_time(value: Any) -> Any:
    if isinstance(value, int | float):
        return datetime.fromtimestamp(float(value), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def delivered_event(event: dict[str, Any]) -> dict[str, Any]:
    """The event as AWS delivers it: ISO time, no moto-internal fields."""
    result = copy.deepcopy(event)
    result.pop("ingestion-time", None)
    result["time"] = _iso_time(result.get("time"))
    return result


def _json_path(document: Any, path: str) -> Any:
    from jsonpath_ng.ext import parse

    matches = parse(path).find(document)  # type: ignore[no-untyped-call]
    return matches[0].value if matches else None


def target_input(target: dict[str, Any], event: dict[str, Any]) -> str:
    """The body EventBridge sends to ``target`` for ``event`` (already delivered form)."""
    if target.get("Input") is not None:
        return str(target["Input"])
    if target.get("InputPath"):
        return json.dumps(_json_path(event, target["InputPath"]))
    transformer = target.get("InputTransformer")
    if transformer:
        text = str(transformer.get("InputTemplate", ""))
        for name, path in (transformer.get("InputPathsMap") or {}).items():
            value = _json_path(event, path)
            rendered = value if isinstance(value, str) else json.dumps(value)
            text = text.replace(f"<{name}>", rendered)
        text = text.replace("<aws.events.event.json>", json.dumps(event))
        return text
    return json.dumps(event)


def _deliver_to_sns(topic_arn: str, body: str) -> None:
    from moto.sns import sns_backends

    _, _, _, region, account, _ = topic_arn.split(":", 5)
    sns_backends[account][region].publish(message=body, arn=topic_arn)


def _connection_of(events_backend: Any, connection_arn: str) -> Any:
    for connection in events_backend.connections.values():
        if connection.arn == connection_arn:
            return connection
    return None


def _api_destination_request(
    account: str, region: str, resource_id: str, target: dict[str, Any], body: str
) -> urllib.request.Request:
    from moto.events.models import events_backends

    backend = events_backends[account][region]
    destination = backend.destinations[resource_id.split("/")[0]]
    headers = {"Content-Type": "application/json"}
    query: dict[str, str] = {}
    connection = _connection_of(backend, destination.connection_arn)
    if connection is not None:
        auth = connection.auth_parameters or {}
        api_key = auth.get("ApiKeyAuthParameters") or {}
        basic = auth.get("BasicAuthParameters") or {}
        if api_key.get("ApiKeyName"):
            headers[api_key["ApiKeyName"]] = str(api_key.get("ApiKeyValue", ""))
        if basic.get("Username") is not None:
            pair = f"{basic['Username']}:{basic.get('Password', '')}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        http = auth.get("InvocationHttpParameters") or {}
        for header in http.get("HeaderParameters") or []:
            headers[header["Key"]] = str(header.get("Value", ""))
        for parameter in http.get("QueryStringParameters") or []:
            query[parameter["Key"]] = str(parameter.get("Value", ""))
    parameters = target.get("HttpParameters") or {}
    headers.update(
        {key: str(value) for key, value in (parameters.get("HeaderParameters") or {}).items()}
    )
    query.update(parameters.get("QueryStringParameters") or {})
    url = str(destination.invocation_endpoint)
    for value in parameters.get("PathParameterValues") or []:
        url = url.replace("*", urllib.parse.quote(str(value)), 1)
    if query:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query)
    method = str(destination.http_method or "POST").upper()
    data = None if method in ("GET", "HEAD") else body.encode()
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"API destination endpoint {url!r} is not http(s)")
    # Scheme checked above: http(s) only.
    return urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310


def _deliver_http(request: urllib.request.Request) -> None:
    # The URL is the API destination's endpoint, configured by the user.
    with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
        response.read()


def _handled(target: dict[str, Any]) -> str | None:
    """ "sns" / "api-destination" for the targets this module delivers, else None."""
    parts = str(target.get("Arn", "")).split(":", 5)
    if len(parts) < 6:
        return None
    if parts[2] == "sns":
        return "sns"
    if parts[2] == "events" and parts[5].startswith("api-destination/"):
        return "api-destination"
    return None


def deliver(rule: Any, target: dict[str, Any], kind: str, event: dict[str, Any]) -> None:
    """Queue the delivery of ``event`` (as moto built it) to one handled ``target``."""
    arn = str(target["Arn"])
    body = target_input(target, delivered_event(event))
    description = f"rule {rule.name} -> {arn}"
    if kind == "sns":
        enqueue(description, lambda: _deliver_to_sns(arn, body))
        return
    _, _, _, region, account, resource = arn.split(":", 5)
    try:
        request = _api_destination_request(account, region, resource.split("/", 1)[1], target, body)
    except Exception as error:  # noqa: BLE001 - a broken target must not fail the caller
        _log(f"{description}: cannot build the request: {error!r}; dropped")
        return
    enqueue(description, lambda: _deliver_http(request))


@fix
def events_deliver_to_sns_and_api_destinations() -> None:
    """EventBridge (extension): deliver rule targets moto lacks (SNS, API destinations).

    Symptom: a rule with an SNS target makes every matching ``PutEvents`` fail
    (moto raises NotImplementedError); an API destination target receives nothing
    (or, with MOTO_EVENTS_INVOKE_HTTP, a bodiless request without the connection's
    API key). See the module docstring for what is delivered and how.
    """
    from moto.events.models import Rule

    original = Rule.send_to_targets

    def send_to_targets(self: Any, original_event: Any, transform_input: bool = True) -> None:
        if not self.event_pattern.matches_event(original_event):
            return
        others = []
        for target in self.targets:
            kind = _handled(target)
            if kind is None:
                others.append(target)
                continue
            try:
                deliver(self, target, kind, dict(original_event))
            except Exception as error:  # noqa: BLE001 - delivery must not fail PutEvents
                _log(f"rule {self.name} -> {target.get('Arn')}: {error!r}; dropped")
        if others:
            rest = copy.copy(self)
            rest.targets = others
            original(rest, original_event, transform_input)

    Rule.send_to_targets = send_to_targets
