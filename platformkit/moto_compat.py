"""Compatibility layer between moto server and the hashicorp/aws provider.

moto is a faithful-enough AWS emulator for our apply/re-plan/destroy proof, but a few
of its responses differ from AWS in ways the provider notices. Each fix below patches
moto (never the platform's Terraform code), names the provider symptom it removes, and
has a test in tests/emulator/test_moto_compat.py that fails without it.

Call :func:`apply` once, before moto serves its first request.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

# Names of fixes to leave out, comma-separated: lets the tests prove each fix is
# still needed (the raw moto behaviour must still be wrong) and lets a maintainer
# drop one after a moto upgrade fixes it upstream.
SKIP_VARIABLE = "MOTO_COMPAT_SKIP"

FIXES: list[Callable[[], None]] = []
APPLIED: list[str] = []


def _fix(func: Callable[[], None]) -> Callable[[], None]:
    FIXES.append(func)
    return func


@_fix
def codepipeline_timestamps_as_epoch_numbers() -> None:
    """CodePipeline: ``created``/``updated`` must be epoch numbers, not ISO strings.

    Symptom: ``aws_codepipeline`` create succeeds, then the provider fails with
    "deserialization failed ... expected Timestamp to be a JSON Number, got string".
    AWS's JSON protocol sends timestamps as epoch seconds.
    """
    from moto.codepipeline import models

    def metadata(self: Any) -> dict[str, Any]:
        return {
            "pipelineArn": self._arn,
            "created": self._created.timestamp(),
            "updated": self._updated.timestamp(),
        }

    models.CodePipeline.metadata = property(metadata)


@_fix
def autoscaling_policy_enabled_flag() -> None:
    """Auto Scaling: DescribePolicies must return ``Enabled`` and omit an empty
    ``PredictiveScalingConfiguration``.

    Symptom: every plan after apply shows ``enabled = false -> true`` on a target
    tracking ``aws_autoscaling_policy`` and wants to remove an empty
    ``predictive_scaling_configuration`` block. AWS defaults ``Enabled`` to true.
    """
    from moto.autoscaling import models, responses

    original_init = models.FakeScalingPolicy.__init__

    def patched_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.enabled = True
        if not self.predictive_scaling_configuration:
            self.predictive_scaling_configuration = None

    models.FakeScalingPolicy.__init__ = patched_init

    original_put = responses.AutoScalingResponse.put_scaling_policy

    def put_scaling_policy(self: Any) -> Any:
        result = original_put(self)
        enabled = self._get_param("Enabled")
        if enabled is not None:
            policy = self.autoscaling_backend.policies[self._get_param("PolicyName")]
            policy.enabled = str(enabled).lower() == "true"
        return result

    responses.AutoScalingResponse.put_scaling_policy = put_scaling_policy


@_fix
def ec2_monitor_instances() -> None:
    """EC2: implement MonitorInstances / UnmonitorInstances.

    Symptom: ``aws_instance`` with ``monitoring = true`` (detailed monitoring, a
    platform requirement) fails with HTTP 500 "not yet implemented" and is left
    tainted. The instance's monitoring state is flipped as AWS does.
    """
    from moto.core.responses import ActionResult
    from moto.ec2.responses import monitoring

    def _set_state(self: Any, state: str) -> ActionResult:
        self.error_on_dryrun()
        results = []
        for instance_id in self._get_param("InstanceIds", []):
            instance = self.ec2_backend.get_instance(instance_id)
            instance.monitoring_state = state
            results.append({"InstanceId": instance_id, "Monitoring": {"State": state}})
        return ActionResult({"InstanceMonitorings": results})

    monitoring.Monitoring.monitor_instances = lambda self: _set_state(self, "enabled")
    monitoring.Monitoring.unmonitor_instances = lambda self: _set_state(self, "disabled")


@_fix
def budgets_subscribers_and_tags() -> None:
    """Budgets: implement DescribeSubscribersForNotification and the tagging APIs.

    Symptom: ``aws_budgets_budget`` with a ``notification`` is created, then every read
    fails with HTTP 500 on DescribeSubscribersForNotification and on
    ListTagsForResource (the provider always reads tags). Tags sent with CreateBudget
    are kept per budget ARN, as AWS does.
    """
    import json

    from moto.budgets.responses import BudgetsResponse

    def tags_of(self: Any) -> dict[str, dict[str, str]]:
        if not hasattr(self.backend, "compat_tags"):
            self.backend.compat_tags = {}
        return self.backend.compat_tags

    def budget_arn(account_id: str, name: str) -> str:
        return f"arn:aws:budgets::{account_id}:budget/{name}"

    def describe_subscribers_for_notification(self: Any) -> str:
        budget = self.backend.budgets[self._get_param("AccountId")][self._get_param("BudgetName")]
        wanted = self._get_param("Notification")
        for notification in budget.notifications:
            if notification.details == wanted:
                return json.dumps({"Subscribers": notification.subscribers})
        return json.dumps({"Subscribers": []})

    original_create = BudgetsResponse.create_budget
    original_delete = BudgetsResponse.delete_budget

    def create_budget(self: Any) -> str:
        result = original_create(self)
        arn = budget_arn(self._get_param("AccountId"), self._get_param("Budget")["BudgetName"])
        tags_of(self)[arn] = {t["Key"]: t["Value"] for t in self._get_param("ResourceTags") or []}
        return result

    def delete_budget(self: Any) -> str:
        result = original_delete(self)
        arn = budget_arn(self._get_param("AccountId"), self._get_param("BudgetName"))
        tags_of(self).pop(arn, None)
        return result

    def list_tags_for_resource(self: Any) -> str:
        tags = tags_of(self).get(self._get_param("ResourceARN"), {})
        return json.dumps({"ResourceTags": [{"Key": k, "Value": v} for k, v in tags.items()]})

    def tag_resource(self: Any) -> str:
        tags = tags_of(self).setdefault(self._get_param("ResourceARN"), {})
        tags.update({t["Key"]: t["Value"] for t in self._get_param("ResourceTags") or []})
        return "{}"

    def untag_resource(self: Any) -> str:
        tags = tags_of(self).setdefault(self._get_param("ResourceARN"), {})
        for key in self._get_param("ResourceTagKeys") or []:
            tags.pop(key, None)
        return "{}"

    BudgetsResponse.describe_subscribers_for_notification = describe_subscribers_for_notification
    BudgetsResponse.create_budget = create_budget
    BudgetsResponse.delete_budget = delete_budget
    BudgetsResponse.list_tags_for_resource = list_tags_for_resource
    BudgetsResponse.tag_resource = tag_resource
    BudgetsResponse.untag_resource = untag_resource


def apply() -> list[str]:
    """Apply every fix once (except skipped ones); returns the names applied."""
    skipped = {name.strip() for name in os.environ.get(SKIP_VARIABLE, "").split(",")}
    for fix in FIXES:
        if fix.__name__ not in APPLIED and fix.__name__ not in skipped:
            fix()
            APPLIED.append(fix.__name__)
    return list(APPLIED)
