"""The monthly cost estimate: arithmetic on a small synthetic plan, and the price table."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tools import cost

PRICES = """service,item,unit,region,usd,as_of,source_url,note
ec2,t3.micro,instance-hour,eu-west-1,0.01,2025-06,https://aws.amazon.com/ec2/pricing/on-demand/,
ec2,detailed-monitoring,instance-month,eu-west-1,2.1,2025-06,https://aws.amazon.com/cloudwatch/pricing/,
ec2,data-transfer-out,GB,eu-west-1,0.09,2025-06,https://aws.amazon.com/ec2/pricing/on-demand/,
ebs,gp3,GB-month,eu-west-1,0.1,2025-06,https://aws.amazon.com/ebs/pricing/,
vpc,nat-gateway,hour,eu-west-1,0.05,2025-06,https://aws.amazon.com/vpc/pricing/,
vpc,nat-gateway-data,GB,eu-west-1,0.05,2025-06,https://aws.amazon.com/vpc/pricing/,
vpc,public-ipv4,address-hour,eu-west-1,0.005,2025-06,https://aws.amazon.com/vpc/pricing/,
elb,alb,hour,eu-west-1,0.02,2025-06,https://aws.amazon.com/elasticloadbalancing/pricing/,
elb,alb-lcu,LCU-hour,eu-west-1,0.008,2025-06,https://aws.amazon.com/elasticloadbalancing/pricing/,
rds,db.t3.micro-postgres-single-az,instance-hour,eu-west-1,0.02,2025-06,https://aws.amazon.com/rds/postgresql/pricing/,
rds,db.t3.micro-postgres-multi-az,instance-hour,eu-west-1,0.04,2025-06,https://aws.amazon.com/rds/postgresql/pricing/,
rds,gp3-single-az,GB-month,eu-west-1,0.125,2025-06,https://aws.amazon.com/rds/postgresql/pricing/,
rds,gp3-multi-az,GB-month,eu-west-1,0.25,2025-06,https://aws.amazon.com/rds/postgresql/pricing/,
secretsmanager,secret,secret-month,eu-west-1,0.4,2025-06,https://aws.amazon.com/secrets-manager/pricing/,
cloudwatch,alarm-metric,metric-month,eu-west-1,0.1,2025-06,https://aws.amazon.com/cloudwatch/pricing/,
cloudwatch,dashboard,dashboard-month,eu-west-1,3,2025-06,https://aws.amazon.com/cloudwatch/pricing/,
cloudwatch,logs-ingest,GB,eu-west-1,0.5,2025-06,https://aws.amazon.com/cloudwatch/pricing/,
cloudwatch,logs-storage,GB-month,eu-west-1,0.03,2025-06,https://aws.amazon.com/cloudwatch/pricing/,
kms,customer-key,key-month,eu-west-1,1,2025-06,https://aws.amazon.com/kms/pricing/,
kms,requests,10k-requests,eu-west-1,0.03,2025-06,https://aws.amazon.com/kms/pricing/,
"""

# Round numbers make the expected figures easy to check by hand.
NO_TRAFFIC = {name: 0.0 for name in cost.ASSUMPTIONS}


def resource(resource_type: str, **values):
    return {"mode": "managed", "type": resource_type, "values": values}


def synthetic_plan(**database) -> dict:
    """A bastion, a NAT gateway, a database and two alarms, one module deep."""
    return {
        "variables": {"environment": {"value": "dev"}, "region": {"value": "eu-west-1"}},
        "planned_values": {
            "root_module": {
                "resources": [resource("aws_kms_key")],
                "child_modules": [
                    {
                        "resources": [
                            resource(
                                "aws_instance",
                                instance_type="t3.micro",
                                monitoring=True,
                                root_block_device=[{"volume_size": 10}],
                            ),
                            resource("aws_nat_gateway"),
                            resource(
                                "aws_db_instance",
                                **{
                                    "instance_class": "db.t3.micro",
                                    "allocated_storage": 20,
                                    "manage_master_user_password": True,
                                    **database,
                                },
                            ),
                            resource("aws_cloudwatch_metric_alarm", metric_query=[]),
                            resource(
                                "aws_cloudwatch_metric_alarm",
                                metric_query=[
                                    {"id": "rate", "expression": "a/b", "metric": []},
                                    {"id": "a", "metric": [{"metric_name": "A"}]},
                                    {"id": "b", "metric": [{"metric_name": "B"}]},
                                ],
                            ),
                            resource("aws_sns_topic", name="alerts"),
                        ]
                    }
                ],
            }
        },
    }


@pytest.fixture
def prices(tmp_path) -> Path:
    path = tmp_path / "prices.csv"
    path.write_text(PRICES)
    return path


def monthly(result: cost.Estimate, service: str, item: str) -> float:
    return sum(
        line.monthly_usd
        for line in result.lines
        if (line.usage.service, line.usage.item) == (service, item)
    )


def test_line_items_are_quantity_times_unit_price_over_730_hours(prices):
    result = cost.estimate(synthetic_plan(multi_az=False), prices, overrides=NO_TRAFFIC)

    assert (result.environment, result.region) == ("dev", "eu-west-1")
    assert monthly(result, "ec2", "t3.micro") == pytest.approx(730 * 0.01)
    assert monthly(result, "ec2", "detailed-monitoring") == pytest.approx(2.1)
    assert monthly(result, "ebs", "gp3") == pytest.approx(10 * 0.1)
    assert monthly(result, "vpc", "nat-gateway") == pytest.approx(730 * 0.05)
    assert monthly(result, "rds", "db.t3.micro-postgres-single-az") == pytest.approx(730 * 0.02)
    assert monthly(result, "rds", "gp3-single-az") == pytest.approx(20 * 0.125)
    assert monthly(result, "secretsmanager", "secret") == pytest.approx(0.4)
    assert monthly(result, "kms", "customer-key") == pytest.approx(1.0)


def test_total_is_the_sum_of_the_line_items(prices):
    result = cost.estimate(synthetic_plan(multi_az=False), prices, overrides=NO_TRAFFIC)
    expected = 730 * 0.01 + 2.1 + 1.0 + 730 * 0.05 + 730 * 0.02 + 2.5 + 0.4 + 3 * 0.1 + 1.0
    assert result.total_usd == pytest.approx(expected)
    assert sum(line.monthly_usd for line in result.lines) == pytest.approx(result.total_usd)


def test_multi_az_database_is_priced_at_the_multi_az_rates(prices):
    result = cost.estimate(synthetic_plan(multi_az=True), prices, overrides=NO_TRAFFIC)
    assert monthly(result, "rds", "db.t3.micro-postgres-multi-az") == pytest.approx(730 * 0.04)
    assert monthly(result, "rds", "gp3-multi-az") == pytest.approx(20 * 0.25)
    assert monthly(result, "rds", "db.t3.micro-postgres-single-az") == 0


def test_a_metric_math_alarm_is_billed_per_metric_it_reads(prices):
    result = cost.estimate(synthetic_plan(), prices, overrides=NO_TRAFFIC)
    # One single-metric alarm + one metric-math alarm reading two metrics.
    assert monthly(result, "cloudwatch", "alarm-metric") == pytest.approx(3 * 0.1)


def test_traffic_assumptions_scale_the_usage_based_items(prices):
    assumptions = {**NO_TRAFFIC, "nat_gb_per_gateway": 100}
    result = cost.estimate(synthetic_plan(), prices, overrides=assumptions)
    assert monthly(result, "vpc", "nat-gateway-data") == pytest.approx(100 * 0.05)
    assert result.assumptions["nat_gb_per_gateway"] == 100


def test_unpriced_resource_types_are_listed_not_silently_dropped(prices):
    result = cost.estimate(synthetic_plan(), prices, overrides=NO_TRAFFIC)
    assert result.not_priced == ["aws_sns_topic"]


def test_a_missing_price_is_a_clear_error(prices):
    plan = synthetic_plan(instance_class="db.r6g.large")
    with pytest.raises(cost.PriceMissing, match="db.r6g.large-postgres-single-az"):
        cost.estimate(plan, prices, overrides=NO_TRAFFIC)


def test_cli_prints_line_items_total_and_assumptions(prices, tmp_path, capsys):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(synthetic_plan()))
    assert cost.main(["--plan", str(plan), "--prices", str(prices), "--assume", "alb_lcu=3"]) == 0
    printed = capsys.readouterr().out
    assert "Monthly estimate for environment 'dev' in eu-west-1" in printed
    assert "730 h/month" in printed
    assert "TOTAL" in printed
    assert "alb_lcu = 3" in printed


def test_profiles_of_the_repository_price_with_the_real_table():
    for profile in sorted((cost.REPO_ROOT / "docs" / "cost" / "profiles").glob("*.json")):
        result = cost.estimate(cost.plan_from_profile(json.loads(profile.read_text())))
        assert result.total_usd > 0, profile.name
        assert not result.not_priced, profile.name


def test_price_table_cites_a_pricing_page_for_every_row_in_both_regions():
    with cost.PRICES_CSV.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert row["source_url"].startswith("https://aws.amazon.com/"), row
        assert float(row["usd"]) >= 0, row
        assert row["as_of"], row
    items = {(row["service"], row["item"]) for row in rows}
    for region in ("eu-west-1", "us-east-1"):
        assert {(r["service"], r["item"]) for r in rows if r["region"] == region} == items, region
