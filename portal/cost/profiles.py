"""A plan-shaped document from a small description of an environment
(docs/cost/profiles/*.json), to estimate without a plan (no AWS credentials needed)."""

from __future__ import annotations

from typing import Any


def plan_from_profile(profile: dict[str, Any]) -> dict[str, Any]:
    """A minimal plan-shaped document from an environment profile (docs/cost/profiles)."""

    def many(resource_type: str, count: int, values: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"type": resource_type, "values": dict(values)} for _ in range(count)]

    web = {"instance_type": profile["web_instance_type"], "monitoring": [{"enabled": True}]}
    group = {"min_size": profile["web_min_size"], "max_size": profile["web_max_size"]}
    bastion = {
        "instance_type": profile["bastion_instance_type"],
        "monitoring": True,
        "associate_public_ip_address": True,
    }
    balancer = {
        "load_balancer_type": "application",
        "subnets": ["public"] * profile["availability_zones"],
    }
    database = {
        "instance_class": profile["db_instance_class"],
        "multi_az": profile["db_multi_az"],
        "allocated_storage": profile["db_storage_gb"],
        "manage_master_user_password": True,
    }
    logs = {"retention_in_days": profile["log_retention_days"]}
    resources = [
        *many("aws_launch_template", 1, web),
        *many("aws_autoscaling_group", 1, group),
        *many("aws_instance", 1, bastion),
        *many("aws_nat_gateway", profile["nat_gateways"], {}),
        *many("aws_eip", profile["nat_gateways"], {}),
        *many("aws_lb", 1, balancer),
        *many("aws_db_instance", 1, database),
        *many("aws_dynamodb_table", 1, {"billing_mode": "PAY_PER_REQUEST"}),
        *many("aws_efs_file_system", 1, {}),
        *many("aws_s3_bucket", profile.get("s3_buckets", 1), {}),
        *many("aws_flow_log", 1, {}),
        *many("aws_cloudwatch_log_group", profile["log_groups"], logs),
        *many("aws_cloudwatch_metric_alarm", profile["alarm_metrics"], {}),
        *many("aws_cloudwatch_dashboard", 1, {}),
        *many("aws_kms_key", 1, {}),
    ]
    return {
        "variables": {
            "environment": {"value": profile["environment"]},
            "region": {"value": profile["region"]},
        },
        "planned_values": {"root_module": {"resources": resources}},
    }
