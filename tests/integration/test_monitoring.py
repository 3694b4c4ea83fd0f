"""Observability and alerting, read back from the emulated account (issue #5).

The "real" resources (web Auto Scaling Group, database, load balancer, bastion) are
found through their own AWS APIs, not through Terraform outputs, so an alarm wired to
a wrong or stale name fails here even if Terraform is self-consistent.
"""

from __future__ import annotations

import json

import pytest

LOG_RETENTION_DAYS = 7


# --- the platform's real resources, found through AWS --------------------------------


@pytest.fixture(scope="module")
def name_prefix(tf_outputs) -> str:
    # The dashboard is named exactly like every resource prefix: <project>-<environment>.
    return tf_outputs["monitoring"]["dashboard_name"]


@pytest.fixture(scope="module")
def web_group(aws, name_prefix) -> dict:
    groups = [
        group
        for page in aws("autoscaling").get_paginator("describe_auto_scaling_groups").paginate()
        for group in page["AutoScalingGroups"]
        if group["AutoScalingGroupName"].startswith(name_prefix)
    ]
    assert len(groups) == 1, f"expected one web Auto Scaling Group, found {groups}"
    return groups[0]


@pytest.fixture(scope="module")
def db_instance(aws, name_prefix) -> dict:
    instances = [
        db
        for db in aws("rds").describe_db_instances()["DBInstances"]
        if db["DBInstanceIdentifier"].startswith(name_prefix)
    ]
    assert len(instances) == 1, f"expected one RDS instance, found {instances}"
    return instances[0]


@pytest.fixture(scope="module")
def alb_arn_suffix(aws, name_prefix) -> str:
    balancers = [
        lb
        for lb in aws("elbv2").describe_load_balancers()["LoadBalancers"]
        if lb["LoadBalancerName"].startswith(name_prefix) and lb["Type"] == "application"
    ]
    assert len(balancers) == 1, f"expected one application load balancer, found {balancers}"
    # CloudWatch's LoadBalancer dimension is the part of the ARN after "loadbalancer/".
    return balancers[0]["LoadBalancerArn"].split(":loadbalancer/", 1)[1]


@pytest.fixture(scope="module")
def bastion(aws) -> dict:
    # The bastion is the one running instance not launched by an Auto Scaling Group.
    reservations = aws("ec2").describe_instances(
        Filters=[{"Name": "instance-state-name", "Values": ["pending", "running"]}]
    )["Reservations"]
    standalone = [
        instance
        for reservation in reservations
        for instance in reservation["Instances"]
        if not any(tag["Key"] == "aws:autoscaling:groupName" for tag in instance.get("Tags", []))
    ]
    assert len(standalone) == 1, f"expected one bastion instance, found {standalone}"
    return standalone[0]


@pytest.fixture(scope="module")
def alarms(aws, tf_outputs) -> dict[str, dict]:
    """The platform's alarms as CloudWatch describes them, keyed like the alarm_names output."""
    names = tf_outputs["monitoring"]["alarm_names"]
    described = aws("cloudwatch").describe_alarms(AlarmNames=list(names.values()))["MetricAlarms"]
    by_name = {alarm["AlarmName"]: alarm for alarm in described}
    missing = sorted(set(names.values()) - set(by_name))
    assert not missing, f"alarms missing from CloudWatch: {missing}"
    return {key: by_name[name] for key, name in names.items()}


def dimensions(alarm: dict) -> dict[str, str]:
    return {d["Name"]: d["Value"] for d in alarm["Dimensions"]}


# --- logs ----------------------------------------------------------------------------


def test_every_log_group_keeps_logs_one_week_encrypted_with_the_platform_key(aws):
    groups = [
        group
        for page in aws("logs").get_paginator("describe_log_groups").paginate()
        for group in page["logGroups"]
    ]
    assert groups, "the platform creates log groups (VPC flow logs, web servers, database)"

    wrong_retention = {
        g["logGroupName"]: g.get("retentionInDays")
        for g in groups
        if g.get("retentionInDays") != LOG_RETENTION_DAYS
    }
    assert not wrong_retention, (
        f"log groups not kept exactly {LOG_RETENTION_DAYS} days: {wrong_retention}"
    )

    unencrypted = [g["logGroupName"] for g in groups if not g.get("kmsKeyId")]
    assert not unencrypted, f"log groups without a KMS key: {unencrypted}"

    # One platform key for every log group, and it is a live customer managed key.
    keys = {g["kmsKeyId"] for g in groups}
    assert len(keys) == 1, f"log groups use different keys: {keys}"
    key = aws("kms").describe_key(KeyId=keys.pop())["KeyMetadata"]
    assert key["KeyManager"] == "CUSTOMER"
    assert key["KeyState"] == "Enabled"


# --- detailed monitoring -------------------------------------------------------------


def test_web_launch_template_enables_detailed_monitoring(aws, web_group):
    template = (
        web_group.get("LaunchTemplate")
        or web_group["MixedInstancesPolicy"]["LaunchTemplate"]["LaunchTemplateSpecification"]
    )
    versions = aws("ec2").describe_launch_template_versions(
        LaunchTemplateId=template["LaunchTemplateId"],
        Versions=[template.get("Version", "$Default")],
    )["LaunchTemplateVersions"]
    assert len(versions) == 1
    assert versions[0]["LaunchTemplateData"]["Monitoring"]["Enabled"] is True


def test_bastion_has_detailed_monitoring(bastion):
    assert bastion["Monitoring"]["State"] == "enabled"


def test_web_group_publishes_the_group_metrics_the_capacity_alarm_reads(web_group):
    enabled = {metric["Metric"] for metric in web_group.get("EnabledMetrics", [])}
    assert "GroupInServiceInstances" in enabled


# --- alarms --------------------------------------------------------------------------


def test_web_cpu_alarm_watches_the_real_auto_scaling_group_above_70_percent(
    alarms, web_group, tf_outputs
):
    alarm = alarms["web_cpu_high"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/EC2", "CPUUtilization")
    assert dimensions(alarm) == {"AutoScalingGroupName": web_group["AutoScalingGroupName"]}
    assert alarm["Threshold"] == 70.0
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["ActionsEnabled"] is True
    assert alarm["AlarmActions"] == [tf_outputs["monitoring"]["sns_topic_arn"]]
    assert alarm["OKActions"] == [tf_outputs["monitoring"]["sns_topic_arn"]]


def test_rds_cpu_alarm_watches_the_real_database(alarms, db_instance, tf_outputs):
    alarm = alarms["db_cpu_high"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/RDS", "CPUUtilization")
    assert dimensions(alarm) == {"DBInstanceIdentifier": db_instance["DBInstanceIdentifier"]}
    assert alarm["Threshold"] == 80.0
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["AlarmActions"] == [tf_outputs["monitoring"]["sns_topic_arn"]]
    assert alarm["OKActions"] == [tf_outputs["monitoring"]["sns_topic_arn"]]


def test_bastion_cpu_alarm_watches_the_real_bastion(alarms, bastion):
    alarm = alarms["bastion_cpu_high"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/EC2", "CPUUtilization")
    assert dimensions(alarm) == {"InstanceId": bastion["InstanceId"]}


def test_database_storage_and_memory_alarms_watch_the_real_database(alarms, db_instance):
    for key, metric in (
        ("db_free_storage_low", "FreeStorageSpace"),
        ("db_freeable_memory_low", "FreeableMemory"),
    ):
        alarm = alarms[key]
        assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/RDS", metric)
        assert dimensions(alarm) == {"DBInstanceIdentifier": db_instance["DBInstanceIdentifier"]}
        assert alarm["ComparisonOperator"] == "LessThanThreshold"


def test_load_balancer_alarms_watch_the_real_load_balancer(alarms, alb_arn_suffix):
    unhealthy = alarms["alb_unhealthy_hosts"]
    assert unhealthy["MetricName"] == "UnHealthyHostCount"
    assert dimensions(unhealthy)["LoadBalancer"] == alb_arn_suffix
    assert dimensions(unhealthy)["TargetGroup"].startswith("targetgroup/")

    rate = alarms["alb_5xx_rate_high"]
    queried = {
        query["MetricStat"]["Metric"]["MetricName"]: dimensions(query["MetricStat"]["Metric"])
        for query in rate["Metrics"]
        if "MetricStat" in query
    }
    assert set(queried) == {"RequestCount", "HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"}
    assert all(dims == {"LoadBalancer": alb_arn_suffix} for dims in queried.values())


def test_capacity_alarm_fires_when_the_web_group_sits_at_its_max_size(alarms, web_group):
    alarm = alarms["asg_at_max_capacity"]
    assert (alarm["Namespace"], alarm["MetricName"]) == (
        "AWS/AutoScaling",
        "GroupInServiceInstances",
    )
    assert dimensions(alarm) == {"AutoScalingGroupName": web_group["AutoScalingGroupName"]}
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["Threshold"] == float(web_group["MaxSize"])


def test_every_alarm_notifies_the_topic_when_it_fires_and_when_it_clears(alarms, tf_outputs):
    topic = tf_outputs["monitoring"]["sns_topic_arn"]
    for key, alarm in alarms.items():
        assert alarm["AlarmActions"] == [topic], key
        assert alarm["OKActions"] == [topic], key
        assert alarm["AlarmDescription"], key


# --- the alert topic -----------------------------------------------------------------


def test_alert_topic_is_encrypted_and_only_cloudwatch_and_budgets_may_publish(aws, tf_outputs):
    attributes = aws("sns").get_topic_attributes(
        TopicArn=tf_outputs["monitoring"]["sns_topic_arn"]
    )["Attributes"]
    assert attributes.get("KmsMasterKeyId", "").startswith("arn:aws:kms:")

    policy = json.loads(attributes["Policy"])
    allowed = {
        statement["Principal"]["Service"]
        for statement in policy["Statement"]
        if statement["Effect"] == "Allow"
    }
    assert allowed == {"cloudwatch.amazonaws.com", "budgets.amazonaws.com"}
    account = tf_outputs["monitoring"]["sns_topic_arn"].split(":")[4]
    for statement in policy["Statement"]:
        if statement["Effect"] == "Allow":
            assert statement["Condition"]["StringEquals"]["aws:SourceAccount"] == account


def test_alert_topic_emails_the_configured_addresses(aws, tf_outputs):
    subscriptions = aws("sns").list_subscriptions_by_topic(
        TopicArn=tf_outputs["monitoring"]["sns_topic_arn"]
    )["Subscriptions"]
    assert sorted((s["Protocol"], s["Endpoint"]) for s in subscriptions) == sorted(
        ("email", address) for address in tf_outputs["monitoring"]["alarm_emails"]
    )


# --- dashboard -----------------------------------------------------------------------


def test_dashboard_is_valid_json_showing_the_real_resources(
    aws, tf_outputs, web_group, db_instance, alb_arn_suffix
):
    body = aws("cloudwatch").get_dashboard(
        DashboardName=tf_outputs["monitoring"]["dashboard_name"]
    )["DashboardBody"]
    dashboard = json.loads(body)
    assert dashboard["widgets"], "the dashboard has widgets"

    metric_rows = [
        row
        for widget in dashboard["widgets"]
        if widget["type"] == "metric"
        for row in widget["properties"]["metrics"]
    ]
    shown = {item for row in metric_rows for item in row if isinstance(item, str)}
    assert web_group["AutoScalingGroupName"] in shown
    assert db_instance["DBInstanceIdentifier"] in shown
    assert alb_arn_suffix in shown
    for metric in (
        "RequestCount",
        "TargetResponseTime",
        "HTTPCode_Target_5XX_Count",
        "CPUUtilization",
        "GroupInServiceInstances",
        "DatabaseConnections",
        "FreeStorageSpace",
        "ReadThrottleEvents",
        "WriteThrottleEvents",
        "MeteredIOBytes",
        "PermittedThroughput",
    ):
        assert metric in shown, metric


# --- budget --------------------------------------------------------------------------


def test_monthly_budget_warns_at_80_percent_actual_and_100_percent_forecast(aws, tf_outputs):
    account = aws("sts").get_caller_identity()["Account"]
    budgets = aws("budgets")
    budget = budgets.describe_budget(
        AccountId=account, BudgetName=tf_outputs["monitoring"]["budget_name"]
    )["Budget"]
    assert budget["BudgetType"] == "COST"
    assert budget["TimeUnit"] == "MONTHLY"
    assert float(budget["BudgetLimit"]["Amount"]) > 0
    assert budget["BudgetLimit"]["Unit"] == "USD"

    notifications = budgets.describe_notifications_for_budget(
        AccountId=account, BudgetName=tf_outputs["monitoring"]["budget_name"]
    )["Notifications"]
    assert sorted(
        (n["NotificationType"], n["ComparisonOperator"], n["Threshold"], n["ThresholdType"])
        for n in notifications
    ) == [
        ("ACTUAL", "GREATER_THAN", 80.0, "PERCENTAGE"),
        ("FORECASTED", "GREATER_THAN", 100.0, "PERCENTAGE"),
    ]

    for notification in notifications:
        subscribers = budgets.describe_subscribers_for_notification(
            AccountId=account,
            BudgetName=tf_outputs["monitoring"]["budget_name"],
            Notification=notification,
        )["Subscribers"]
        assert {
            "SubscriptionType": "SNS",
            "Address": tf_outputs["monitoring"]["sns_topic_arn"],
        } in subscribers
