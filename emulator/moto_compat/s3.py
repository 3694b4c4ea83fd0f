"""moto compatibility fixes for s3; see emulator.moto_compat."""

from __future__ import annotations

from typing import Any

from emulator.moto_compat import fix

# The emulator stands in for AWS endpoints, which the provider and SDKs reach over
# TLS; moto itself listens on plain HTTP on loopback. These are the values the TLS
# condition keys have for such a request.
TLS_CONTEXT = {"aws:securetransport": "true", "s3:tlsversion": "1.3"}


def _condition_met(operator: str, actual: str, expected: Any) -> bool | None:
    """True/False for the operators used with TLS keys; None for others."""
    values = expected if isinstance(expected, list) else [expected]
    if operator == "Bool":
        return actual.lower() in [str(value).lower() for value in values]
    if operator == "NumericLessThan":
        return any(float(actual) < float(value) for value in values)
    return None


@fix
def s3_policy_tls_conditions() -> None:
    """S3: evaluate ``aws:SecureTransport`` / ``s3:TlsVersion`` conditions in bucket policies.

    Symptom: with the TLS-only bucket policy every bucket of the platform carries
    (Deny s3:* when aws:SecureTransport is false), every PutObject/GetObject gets
    403: moto ignores the ``Bool`` operator, so the Deny always applies. A statement
    whose condition is not met does not apply (AWS's evaluation logic).
    """
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult

    original = IAMPolicyStatement.is_action_permitted

    def is_action_permitted(self: Any, *args: Any, **kwargs: Any) -> Any:
        for operator, conditions in (self._statement.get("Condition") or {}).items():
            for key, expected in conditions.items():
                actual = TLS_CONTEXT.get(key.lower())
                if actual is not None and _condition_met(operator, actual, expected) is False:
                    return PermissionResult.NEUTRAL
        return original(self, *args, **kwargs)

    IAMPolicyStatement.is_action_permitted = is_action_permitted


@fix
def s3_notification_shows_eventbridge() -> None:
    """S3: GetBucketNotificationConfiguration returns ``EventBridgeConfiguration``.

    Symptom: ``aws_s3_bucket_notification`` with ``eventbridge = true`` applies, then
    every plan wants to change ``eventbridge = false -> true``: moto stores the setting
    but leaves it out of the response.
    """
    from moto.core.responses import ActionResult
    from moto.s3.responses import S3Response

    original = S3Response.get_bucket_notification

    def get_bucket_notification(self: Any) -> Any:
        configuration = self.backend.get_bucket_notification_configuration(self.bucket_name)
        if configuration is None or configuration.event_bridge is None:
            return original(self)

        def rules(items: list[Any], arn_key: str) -> list[dict[str, Any]]:
            built = []
            for item in items:
                rule: dict[str, Any] = {"Id": item.id, arn_key: item.arn, "Events": item.events}
                if item.filters:
                    rule["Filter"] = {"Key": {"FilterRules": item.filters["S3Key"]["FilterRule"]}}
                built.append(rule)
            return built

        self.data["Action"] = "GetBucketNotificationConfiguration"
        return self.serialized(
            ActionResult(
                {
                    "TopicConfigurations": rules(configuration.topic, "TopicArn"),
                    "QueueConfigurations": rules(configuration.queue, "QueueArn"),
                    "LambdaFunctionConfigurations": rules(
                        configuration.cloud_function, "LambdaFunctionArn"
                    ),
                    "EventBridgeConfiguration": {},
                }
            )
        )

    S3Response.get_bucket_notification = get_bucket_notification
