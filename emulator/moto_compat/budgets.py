"""moto compatibility fixes for budgets; see emulator.moto_compat."""

from __future__ import annotations

from typing import Any

from emulator.moto_compat import fix


@fix
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
