"""moto compatibility fixes for budgets work and are still needed."""

from __future__ import annotations

import pytest


def test_budget_subscribers_and_tags_can_be_read(emulator_for):
    variant, client = emulator_for("budgets_subscribers_and_tags")
    budgets = client("budgets")
    account = "123456789012"
    notification = {
        "NotificationType": "ACTUAL",
        "ComparisonOperator": "GREATER_THAN",
        "Threshold": 80.0,
        "ThresholdType": "PERCENTAGE",
    }
    subscriber = {"SubscriptionType": "EMAIL", "Address": "ops@example.com"}
    budgets.create_budget(
        AccountId=account,
        Budget={
            "BudgetName": "monthly",
            "BudgetLimit": {"Amount": "200", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
        NotificationsWithSubscribers=[{"Notification": notification, "Subscribers": [subscriber]}],
        ResourceTags=[{"Key": "Environment", "Value": "local"}],
    )
    arn = f"arn:aws:budgets::{account}:budget/monthly"
    if variant == "raw":
        with pytest.raises(Exception, match="500|not yet implemented|InternalFailure"):
            budgets.describe_subscribers_for_notification(
                AccountId=account, BudgetName="monthly", Notification=notification
            )
        return
    subscribers = budgets.describe_subscribers_for_notification(
        AccountId=account, BudgetName="monthly", Notification=notification
    )["Subscribers"]
    assert subscribers == [subscriber]
    assert budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == [
        {"Key": "Environment", "Value": "local"}
    ]
    budgets.tag_resource(ResourceARN=arn, ResourceTags=[{"Key": "Owner", "Value": "ops"}])
    budgets.untag_resource(ResourceARN=arn, ResourceTagKeys=["Environment"])
    assert budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == [
        {"Key": "Owner", "Value": "ops"}
    ]
