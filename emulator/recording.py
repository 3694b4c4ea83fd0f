"""Record every AWS API action the emulator serves, as IAM action names.

:class:`ActionRecorder` is WSGI middleware around moto's application: for each signed
request it writes one JSON line ``{"service", "operation", "action", "status",
"client"}`` to a file, e.g.::

    {"service": "ec2", "operation": "CreateVpc", "action": "ec2:CreateVpc",
     "status": 200, "client": "terraform"}

It is opt-in: ``Emulator(action_log=path)`` or ``python -m emulator serve
--action-log PATH`` (the environment variable :data:`ACTION_LOG_VARIABLE` carries the
path to the server subprocess). The tests use it to prove that the deployer's IAM
policies allow everything Terraform really calls (tests/integration).

How a request is named, by protocol:

* ``service`` is the SigV4 signing name from the ``Authorization`` header's credential
  scope (``Credential=<key>/<date>/<region>/<service>/aws4_request``). Unsigned
  requests (moto's own ``/moto-api``, health checks) are not recorded.
* JSON protocols (DynamoDB, KMS, Logs, SSM, ...): the operation after the last dot of
  ``X-Amz-Target``.
* Smithy RPC v2 CBOR (CloudWatch's newer SDKs): ``/service/<Service>/operation/<Op>``.
* Query protocols (EC2, IAM, RDS, ELBv2, STS, SNS, ...): ``Action`` from the query
  string or from the form body. The body is read only for form-encoded requests (as
  moto itself does) and put back into ``wsgi.input`` so moto reads it unchanged.
* REST protocols (S3, EFS, Lambda, ...): method + path (+ query keys) matched against
  the ``http.requestUri`` templates of botocore's service model; the most specific
  template wins (more required query keys, then more literal path characters).

The IAM action is ``<prefix>:<operation>`` where the prefix is the signing name except
for :data:`IAM_PREFIXES`, and the action name is the operation's except for
:data:`ACTION_EXCEPTIONS` (from AWS's "Actions, resources, and condition keys"
reference and each operation's documented permission). Requests whose operation
cannot be resolved are recorded with ``operation: null`` and their method and path, so
a test can show them instead of silently dropping them.
"""

from __future__ import annotations

import io
import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

# The server subprocess reads the log path from here (set by Emulator(action_log=...)).
ACTION_LOG_VARIABLE = "EMULATOR_ACTION_LOG"

_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/[^/,\s]+/([^/,\s]+)/aws4_request")
_CBOR_PATH = re.compile(r"^/service/[^/]+/operation/([^/?]+)")

# SigV4 signing name => botocore service names that sign with it, where they differ.
# Several models may share a signing name (elb and elbv2); the query protocol's
# ``Version`` picks one, otherwise the first with a matching operation wins.
SIGNING_NAME_MODELS: dict[str, tuple[str, ...]] = {
    "monitoring": ("cloudwatch",),
    "elasticloadbalancing": ("elbv2", "elb"),
    "elasticfilesystem": ("efs",),
    "email": ("sesv2", "ses"),
    "execute-api": ("apigateway",),
    "states": ("stepfunctions",),
    "es": ("opensearch", "es"),
}

# Signing name => IAM service prefix, where they differ.
IAM_PREFIXES: dict[str, str] = {
    "monitoring": "cloudwatch",
    "email": "ses",
}

# IAM action names that differ from the operation's name ("prefix:Operation" => action).
# S3 mostly names permissions by resource, not by API; Budgets has two permissions for
# its whole API. Sources: the S3 API reference's "Permissions" section of each
# operation, and the Service Authorization Reference (actions tables).
ACTION_EXCEPTIONS: dict[str, str] = {
    # S3 buckets
    "s3:HeadBucket": "s3:ListBucket",
    "s3:ListObjects": "s3:ListBucket",
    "s3:ListObjectsV2": "s3:ListBucket",
    "s3:ListObjectVersions": "s3:ListBucketVersions",
    "s3:ListMultipartUploads": "s3:ListBucketMultipartUploads",
    "s3:GetBucketCors": "s3:GetBucketCORS",
    "s3:PutBucketCors": "s3:PutBucketCORS",
    "s3:DeleteBucketCors": "s3:PutBucketCORS",
    "s3:GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "s3:PutBucketEncryption": "s3:PutEncryptionConfiguration",
    "s3:DeleteBucketEncryption": "s3:PutEncryptionConfiguration",
    "s3:GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
    "s3:GetBucketLifecycle": "s3:GetLifecycleConfiguration",
    "s3:PutBucketLifecycleConfiguration": "s3:PutLifecycleConfiguration",
    "s3:PutBucketLifecycle": "s3:PutLifecycleConfiguration",
    "s3:DeleteBucketLifecycle": "s3:PutLifecycleConfiguration",
    "s3:GetBucketReplication": "s3:GetReplicationConfiguration",
    "s3:PutBucketReplication": "s3:PutReplicationConfiguration",
    "s3:DeleteBucketReplication": "s3:PutReplicationConfiguration",
    "s3:GetBucketAccelerateConfiguration": "s3:GetAccelerateConfiguration",
    "s3:PutBucketAccelerateConfiguration": "s3:PutAccelerateConfiguration",
    "s3:GetObjectLockConfiguration": "s3:GetBucketObjectLockConfiguration",
    "s3:PutObjectLockConfiguration": "s3:PutBucketObjectLockConfiguration",
    "s3:DeleteBucketTagging": "s3:PutBucketTagging",
    "s3:DeleteBucketWebsite": "s3:DeleteBucketWebsite",
    "s3:GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "s3:PutPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "s3:DeletePublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "s3:DeleteBucketOwnershipControls": "s3:PutBucketOwnershipControls",
    "s3:GetBucketNotificationConfiguration": "s3:GetBucketNotification",
    "s3:PutBucketNotificationConfiguration": "s3:PutBucketNotification",
    "s3:GetBucketIntelligentTieringConfiguration": "s3:GetIntelligentTieringConfiguration",
    "s3:GetBucketAnalyticsConfiguration": "s3:GetAnalyticsConfiguration",
    "s3:GetBucketMetricsConfiguration": "s3:GetMetricsConfiguration",
    "s3:GetBucketInventoryConfiguration": "s3:GetInventoryConfiguration",
    # S3 objects
    "s3:HeadObject": "s3:GetObject",
    "s3:DeleteObjects": "s3:DeleteObject",
    "s3:CopyObject": "s3:PutObject",
    "s3:CreateMultipartUpload": "s3:PutObject",
    "s3:UploadPart": "s3:PutObject",
    "s3:UploadPartCopy": "s3:PutObject",
    "s3:CompleteMultipartUpload": "s3:PutObject",
    "s3:ListParts": "s3:ListMultipartUploadParts",
    "s3:GetObjectAttributes": "s3:GetObject",
    # Budgets: ViewBudget for reads, ModifyBudget for writes.
    "budgets:DescribeBudget": "budgets:ViewBudget",
    "budgets:DescribeBudgets": "budgets:ViewBudget",
    "budgets:DescribeNotificationsForBudget": "budgets:ViewBudget",
    "budgets:DescribeSubscribersForNotification": "budgets:ViewBudget",
    "budgets:CreateBudget": "budgets:ModifyBudget",
    "budgets:UpdateBudget": "budgets:ModifyBudget",
    "budgets:DeleteBudget": "budgets:ModifyBudget",
    "budgets:CreateNotification": "budgets:ModifyBudget",
    "budgets:UpdateNotification": "budgets:ModifyBudget",
    "budgets:DeleteNotification": "budgets:ModifyBudget",
    "budgets:CreateSubscriber": "budgets:ModifyBudget",
    "budgets:UpdateSubscriber": "budgets:ModifyBudget",
    "budgets:DeleteSubscriber": "budgets:ModifyBudget",
}

# S3 object operations that need the ...Version permission when a versionId is given.
_S3_VERSIONED = {
    "s3:GetObject": "s3:GetObjectVersion",
    "s3:DeleteObject": "s3:DeleteObjectVersion",
    "s3:GetObjectTagging": "s3:GetObjectVersionTagging",
    "s3:PutObjectTagging": "s3:PutObjectVersionTagging",
    "s3:DeleteObjectTagging": "s3:DeleteObjectVersionTagging",
    "s3:GetObjectAcl": "s3:GetObjectVersionAcl",
    "s3:PutObjectAcl": "s3:PutObjectVersionAcl",
}

# Actions AWS authorizes without any permission (they never need a policy).
NO_PERMISSION_REQUIRED = frozenset({"sts:GetCallerIdentity"})


def iam_action(service: str, operation: str, query: dict[str, list[str]] | None = None) -> str:
    """The IAM action for ``operation`` of the service signing as ``service``."""
    action = f"{IAM_PREFIXES.get(service, service)}:{operation}"
    action = ACTION_EXCEPTIONS.get(action, action)
    if query and "versionId" in query and action in _S3_VERSIONED:
        action = _S3_VERSIONED[action]
    return action


# --- REST request URI templates ---------------------------------------------------


@dataclass(frozen=True)
class _Route:
    operation: str
    method: str
    pattern: re.Pattern[str]
    # Required query keys, with a required value or None (any value).
    query: tuple[tuple[str, str | None], ...]
    # Required headers (lowercase), e.g. S3 CopyObject's x-amz-copy-source.
    headers: tuple[str, ...]
    literal_chars: int

    @property
    def specificity(self) -> tuple[int, int]:
        return (len(self.query) + len(self.headers), self.literal_chars)


def _required_members(operation_model: Any) -> tuple[list[str], list[str]]:
    """Required query-string keys and header names of an operation's input."""
    shape = operation_model.input_shape
    query: list[str] = []
    headers: list[str] = []
    if shape is None:
        return query, headers
    for name in shape.required_members:
        member = shape.members[name]
        location = member.serialization.get("location")
        wire_name = member.serialization.get("name", name)
        if location == "querystring":
            query.append(wire_name)
        elif location == "header":
            headers.append(wire_name.lower())
    return query, headers


def _route(
    operation: str,
    method: str,
    request_uri: str,
    required_query: Iterable[str] = (),
    required_headers: Iterable[str] = (),
) -> _Route:
    path, _, query_part = request_uri.partition("?")
    regex = ""
    literal = 0
    for piece in re.split(r"(\{[^}]+\})", path):
        if piece.startswith("{"):
            regex += ".+" if piece.endswith("+}") else "[^/]+"
        else:
            regex += re.escape(piece)
            literal += len(piece)
    query: list[tuple[str, str | None]] = []
    for item in filter(None, query_part.split("&")):
        key, sep, value = item.partition("=")
        query.append((key, value if sep else None))
    query.extend((key, None) for key in required_query if key not in dict(query))
    return _Route(
        operation,
        method,
        re.compile(f"^{regex}$"),
        tuple(query),
        tuple(required_headers),
        literal,
    )


@cache
def _session() -> Any:
    import botocore.session

    return botocore.session.get_session()


@cache
def _model(name: str) -> Any:
    try:
        return _session().get_service_model(name)
    except Exception:  # botocore's UnknownServiceError and data errors alike
        return None


@cache
def _models_for(signing_name: str) -> tuple[Any, ...]:
    names = SIGNING_NAME_MODELS.get(signing_name, (signing_name,))
    models = tuple(m for m in map(_model, names) if m is not None)
    if models:
        return models
    # Unknown: scan botocore's models once for this signing name (slow, rare).
    found = []
    for name in _session().get_available_services():
        model = _model(name)
        if model is not None and model.signing_name == signing_name:
            found.append(model)
    return tuple(found)


@cache
def _routes(service_name: str) -> tuple[_Route, ...]:
    model = _model(service_name)
    routes = []
    for name in model.operation_names:
        operation_model = model.operation_model(name)
        http = operation_model.http
        if "requestUri" in http:
            query, headers = _required_members(operation_model)
            routes.append(
                _route(name, http.get("method", "POST"), http["requestUri"], query, headers)
            )
    return tuple(routes)


def match_rest(
    service_name: str,
    method: str,
    path: str,
    query: dict[str, list[str]],
    headers: Iterable[str] = (),
) -> str | None:
    """The operation of botocore model ``service_name`` a REST request calls.

    ``headers``: the request's header names (any case).
    """
    present = {h.lower() for h in headers}
    candidates = []
    for path_variant in dict.fromkeys([path, path.rstrip("/") or "/"]):
        for route in _routes(service_name):
            if route.method != method or not route.pattern.match(path_variant):
                continue
            if all(
                key in query and (value is None or value in query[key])
                for key, value in route.query
            ) and all(h in present for h in route.headers):
                candidates.append(route)
        if candidates:
            break
    if not candidates:
        return None
    return max(candidates, key=lambda r: r.specificity).operation


# --- Request => operation -----------------------------------------------------------


def signing_name(authorization: str) -> str | None:
    """The service of a SigV4 ``Authorization`` header's credential scope."""
    found = _CREDENTIAL_SCOPE.search(authorization or "")
    return found.group(1) if found else None


def resolve_operation(
    service: str,
    method: str,
    path: str,
    query: dict[str, list[str]],
    form: dict[str, list[str]],
    target: str | None,
    headers: Iterable[str] = (),
) -> str | None:
    """The API operation of one request to ``service`` (its signing name)."""
    if target:
        return target.rsplit(".", 1)[-1]
    cbor = _CBOR_PATH.match(path)
    if cbor:
        return cbor.group(1)
    action = (form.get("Action") or query.get("Action") or [None])[0]
    if action:
        return action
    for model in _models_for(service):
        if model.protocol in ("rest-xml", "rest-json"):
            operation = match_rest(model.service_name, method, path, query, headers)
            if operation:
                return operation
    return None


def describe_request(environ: dict[str, Any], form_body: bytes | None) -> dict[str, Any] | None:
    """The record of one WSGI request (without status), or None for unsigned ones."""
    service = signing_name(environ.get("HTTP_AUTHORIZATION", ""))
    if service is None:
        return None
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    form_text = form_body.decode("utf-8", "replace") if form_body else ""
    form = parse_qs(form_text, keep_blank_values=True)
    method = environ.get("REQUEST_METHOD", "GET")
    path = environ.get("PATH_INFO", "/") or "/"
    headers = [key[5:].replace("_", "-").lower() for key in environ if key.startswith("HTTP_")] + [
        key.replace("_", "-").lower() for key in ("CONTENT_TYPE", "CONTENT_LENGTH")
    ]
    operation = resolve_operation(
        service, method, path, query, form, environ.get("HTTP_X_AMZ_TARGET"), headers
    )
    user_agent = environ.get("HTTP_USER_AGENT", "")
    record: dict[str, Any] = {
        "service": service,
        "operation": operation,
        "action": iam_action(service, operation, query) if operation else None,
        "client": "terraform" if "Terraform/" in user_agent else "other",
    }
    if operation is None:
        record.update(method=method, path=path, query=sorted(query))
    return record


class ActionRecorder:
    """WSGI middleware: one JSON line per signed request to ``app``, appended to ``path``."""

    def __init__(self, app: Callable[..., Iterable[bytes]], path: Path):
        self.app = app
        self.path = Path(path)
        self._lock = threading.Lock()

    @staticmethod
    def _buffer_form_body(environ: dict[str, Any]) -> bytes | None:
        if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(body)  # moto reads it again
        return body

    def write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, sort_keys=True) + "\n"
        with self._lock, self.path.open("a", encoding="utf-8") as log:
            log.write(line)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        try:
            record = describe_request(environ, self._buffer_form_body(environ))
        except Exception as error:  # never break the emulator over a log line
            record = {"service": None, "operation": None, "action": None, "error": repr(error)}

        def recording_start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
            if record is not None:
                record["status"] = int(status.split(" ", 1)[0])
                self.write(record)
            return start_response(status, headers, exc_info)

        return self.app(environ, recording_start_response)


def read_actions(path: Path) -> list[dict[str, Any]]:
    """The records of an action log (missing file: none)."""
    if not Path(path).exists():
        return []
    with Path(path).open(encoding="utf-8") as log:
        return [json.loads(line) for line in log if line.strip()]
