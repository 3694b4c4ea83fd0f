"""Monthly cost estimate of an environment, from a Terraform plan and a price table.

    terraform -chdir=terraform/environments/dev plan -out=tfplan
    terraform -chdir=terraform/environments/dev show -json tfplan > plan.json
    python -m platformkit.cost --plan plan.json --environment dev

or, without a plan (no AWS credentials needed), from a small description of the
environment (see docs/cost/profiles/*.json)::

    python -m platformkit.cost --profile docs/cost/profiles/prod.json

Prices come from ``docs/cost/prices.csv`` (one row per service, item and region, each
with the date and the AWS pricing page it was read from). What a plan cannot say
(traffic, gigabytes stored, log volume) comes from ASSUMPTIONS below, printed with
every estimate and overridable with ``--assume name=value``. Free tiers are ignored:
the estimate is what the environment costs once they are used up. Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformkit import REPO_ROOT

PRICES_CSV = REPO_ROOT / "docs" / "cost" / "prices.csv"
HOURS_PER_MONTH = 730  # AWS's own convention: 24 h x 365 d / 12

ASSUMPTIONS: dict[str, float] = {
    "nat_gb_per_gateway": 10,  # GB a month through each NAT gateway (updates, AWS APIs)
    "alb_lcu": 1,  # average load balancer capacity units (1 LCU = 25 new conn/s ...)
    "alb_public_ips": 2,  # one per public subnet, when the plan does not know the subnets
    "internet_out_gb": 20,  # GB a month served to the internet
    "root_volume_gb": 8,  # EBS root volume when the plan does not say
    "agent_metrics_per_web_instance": 2,  # CloudWatch agent memory and disk metrics
    "dynamodb_million_reads": 1,
    "dynamodb_million_writes": 0.5,
    "dynamodb_gb": 1,
    "efs_standard_gb": 5,
    "s3_gb": 5,
    "s3_thousand_gets": 100,
    "s3_thousand_puts": 10,
    "log_gb_per_group": 0.5,  # GB ingested a month by each (non flow log) log group
    "flow_log_gb": 2,  # GB of VPC flow logs a month
    "kms_10k_requests": 10,
    "rds_backup_extra_gb": 0,  # backups beyond 100 % of storage are billed; 7 days fit
}


class PriceMissing(KeyError):
    """The price table has no row for an item the environment uses."""


@dataclass(frozen=True)
class Usage:
    """A billable quantity of one priced item, e.g. 730 hours of vpc/nat-gateway."""

    service: str
    item: str
    quantity: float
    what: str


@dataclass(frozen=True)
class LineItem:
    usage: Usage
    unit: str
    unit_price: float

    @property
    def monthly_usd(self) -> float:
        return self.usage.quantity * self.unit_price


@dataclass(frozen=True)
class Estimate:
    environment: str
    region: str
    lines: list[LineItem]
    assumptions: dict[str, float]
    not_priced: list[str]

    @property
    def total_usd(self) -> float:
        return sum(line.monthly_usd for line in self.lines)


# --- price table ---------------------------------------------------------------------


def load_prices(path: Path, region: str) -> dict[tuple[str, str], tuple[float, str]]:
    """(service, item) -> (USD per unit, unit) for one region."""
    prices: dict[tuple[str, str], tuple[float, str]] = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["region"] == region:
                prices[(row["service"], row["item"])] = (float(row["usd"]), row["unit"])
    if not prices:
        raise PriceMissing(f"{path} has no prices for region {region}")
    return prices


# --- what a plan contains ------------------------------------------------------------


def planned_resources(plan: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(type, values) of every managed resource in ``terraform show -json`` output."""
    pending = [plan.get("planned_values", {}).get("root_module", {})]
    while pending:
        module = pending.pop()
        for resource in module.get("resources", []):
            if resource.get("mode", "managed") == "managed":
                yield resource["type"], resource.get("values") or {}
        pending.extend(module.get("child_modules", []))


def _first(block: Any) -> dict[str, Any]:
    """Terraform renders nested blocks as lists; the first one, or {}."""
    return block[0] if isinstance(block, list) and block and isinstance(block[0], dict) else {}


def usage_from_plan(
    plan: dict[str, Any], assume: dict[str, float]
) -> tuple[list[Usage], list[str]]:
    """Billable usage of a plan, and the resource types that were not priced."""
    by_type: dict[str, list[dict[str, Any]]] = {}
    for resource_type, values in planned_resources(plan):
        by_type.setdefault(resource_type, []).append(values)
    # Same service, item and description add up into one line (e.g. all log groups).
    totals: dict[tuple[str, str, str], float] = {}
    hours = HOURS_PER_MONTH

    def add(service: str, item: str, quantity: float, what: str) -> None:
        if quantity:
            key = (service, item, what)
            totals[key] = totals.get(key, 0) + quantity

    for instance in by_type.get("aws_instance", []):
        kind = instance.get("instance_type", "t3.micro")
        add("ec2", kind, hours, f"{kind} standalone instance (bastion), always on")
        volume = (
            _first(instance.get("root_block_device")).get("volume_size") or assume["root_volume_gb"]
        )
        add("ebs", "gp3", volume, f"{kind} root volume (GB)")
        if instance.get("monitoring"):
            add("ec2", "detailed-monitoring", 1, f"{kind} detailed monitoring")
        if instance.get("associate_public_ip_address"):
            add("vpc", "public-ipv4", hours, f"{kind} public IPv4 address")

    templates = by_type.get("aws_launch_template", [])
    template = templates[0] if templates else {}
    for group in by_type.get("aws_autoscaling_group", []):
        count = group.get("desired_capacity") or group.get("min_size") or 0
        kind = template.get("instance_type", "t3.micro")
        what = f"web tier: {count} x {kind} (min size; up to {group.get('max_size')} under load)"
        add("ec2", kind, count * hours, what)
        ebs = _first(_first(template.get("block_device_mappings")).get("ebs"))
        add(
            "ebs",
            "gp3",
            count * (ebs.get("volume_size") or assume["root_volume_gb"]),
            "web tier root volumes (GB)",
        )
        if _first(template.get("monitoring")).get("enabled"):
            add("ec2", "detailed-monitoring", count, "web tier detailed monitoring")
        add(
            "cloudwatch",
            "custom-metric",
            count * assume["agent_metrics_per_web_instance"],
            "CloudWatch agent metrics",
        )

    nat_gateways = len(by_type.get("aws_nat_gateway", []))
    add("vpc", "nat-gateway", nat_gateways * hours, f"{nat_gateways} NAT gateway(s)")
    add(
        "vpc",
        "nat-gateway-data",
        nat_gateways * assume["nat_gb_per_gateway"],
        "NAT data processed (GB)",
    )
    add("vpc", "public-ipv4", len(by_type.get("aws_eip", [])) * hours, "Elastic IP addresses")

    for balancer in by_type.get("aws_lb", []):
        if balancer.get("load_balancer_type", "application") != "application":
            continue
        add("elb", "alb", hours, "application load balancer")
        add("elb", "alb-lcu", assume["alb_lcu"] * hours, "load balancer capacity units")
        if not balancer.get("internal"):
            ips = len(balancer.get("subnets") or []) or assume["alb_public_ips"]
            add("vpc", "public-ipv4", ips * hours, "load balancer public IPv4 addresses")
    add(
        "ec2",
        "data-transfer-out",
        assume["internet_out_gb"] if by_type.get("aws_lb") else 0,
        "internet egress (GB)",
    )

    for db in by_type.get("aws_db_instance", []):
        az = "multi-az" if db.get("multi_az") else "single-az"
        kind = db.get("instance_class", "db.t3.micro")
        add("rds", f"{kind}-postgres-{az}", hours, f"{kind} PostgreSQL, {az}")
        add("rds", f"gp3-{az}", db.get("allocated_storage") or 20, "database storage (GB)")
        add(
            "rds",
            "backup-storage",
            assume["rds_backup_extra_gb"],
            "backups beyond the free allowance (GB)",
        )
        if db.get("manage_master_user_password"):
            add("secretsmanager", "secret", 1, "RDS-managed master password")

    for table in by_type.get("aws_dynamodb_table", []):
        if table.get("billing_mode") == "PAY_PER_REQUEST":
            add(
                "dynamodb",
                "on-demand-read",
                assume["dynamodb_million_reads"],
                "session reads (millions)",
            )
            add(
                "dynamodb",
                "on-demand-write",
                assume["dynamodb_million_writes"],
                "session writes (millions)",
            )
        add("dynamodb", "storage", assume["dynamodb_gb"], "session table storage (GB)")

    add(
        "efs",
        "standard",
        len(by_type.get("aws_efs_file_system", [])) * assume["efs_standard_gb"],
        "product images (GB)",
    )

    buckets = len(by_type.get("aws_s3_bucket", []))
    add("s3", "standard", buckets * assume["s3_gb"], "bucket storage (GB)")
    add("s3", "get-requests", buckets * assume["s3_thousand_gets"], "GET requests (thousands)")
    add("s3", "put-requests", buckets * assume["s3_thousand_puts"], "PUT requests (thousands)")

    flow_logs = len(by_type.get("aws_flow_log", []))
    add(
        "cloudwatch",
        "vended-logs-ingest",
        flow_logs * assume["flow_log_gb"],
        "VPC flow logs ingested (GB)",
    )
    for group in by_type.get("aws_cloudwatch_log_group", []):
        # Stored volume at steady state: retention days' worth of the monthly ingest.
        retention = group.get("retention_in_days") or 30
        add(
            "cloudwatch",
            "logs-storage",
            assume["log_gb_per_group"] * retention / 30.4,
            "log storage (GB)",
        )
    other_groups = max(0, len(by_type.get("aws_cloudwatch_log_group", [])) - flow_logs)
    add(
        "cloudwatch",
        "logs-ingest",
        other_groups * assume["log_gb_per_group"],
        "application/system logs ingested (GB)",
    )

    alarm_metrics = sum(
        sum(1 for query in alarm.get("metric_query") or [] if query.get("metric")) or 1
        for alarm in by_type.get("aws_cloudwatch_metric_alarm", [])
    )
    add("cloudwatch", "alarm-metric", alarm_metrics, "alarm metrics")
    add("cloudwatch", "dashboard", len(by_type.get("aws_cloudwatch_dashboard", [])), "dashboards")

    keys = len(by_type.get("aws_kms_key", []))
    add("kms", "customer-key", keys, "customer managed keys")
    add("kms", "requests", assume["kms_10k_requests"] if keys else 0, "KMS requests (10k)")
    add("secretsmanager", "secret", len(by_type.get("aws_secretsmanager_secret", [])), "secrets")

    priced = {
        *("aws_instance", "aws_launch_template", "aws_autoscaling_group"),
        *("aws_nat_gateway", "aws_eip", "aws_lb", "aws_flow_log"),
        *("aws_db_instance", "aws_dynamodb_table", "aws_efs_file_system", "aws_s3_bucket"),
        *("aws_cloudwatch_log_group", "aws_cloudwatch_metric_alarm", "aws_cloudwatch_dashboard"),
        *("aws_kms_key", "aws_secretsmanager_secret"),
    }
    usage = [
        Usage(service, item, quantity, what) for (service, item, what), quantity in totals.items()
    ]
    return usage, sorted(set(by_type) - priced)


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


# --- pricing -------------------------------------------------------------------------


def estimate(
    plan: dict[str, Any],
    prices_csv: Path = PRICES_CSV,
    region: str | None = None,
    environment: str | None = None,
    overrides: dict[str, float] | None = None,
) -> Estimate:
    variables = plan.get("variables", {})
    region = region or variables.get("region", {}).get("value") or "eu-west-1"
    environment = environment or variables.get("environment", {}).get("value") or "unnamed"
    assume = {**ASSUMPTIONS, **(overrides or {})}
    prices = load_prices(prices_csv, region)
    usage, not_priced = usage_from_plan(plan, assume)
    lines = []
    for use in usage:
        try:
            unit_price, unit = prices[(use.service, use.item)]
        except KeyError:
            raise PriceMissing(
                f"no price for {use.service}/{use.item} in {region}: add a row to {prices_csv}"
            ) from None
        lines.append(LineItem(use, unit, unit_price))
    return Estimate(environment, region, lines, assume, not_priced)


def render(result: Estimate) -> str:
    out = [
        f"Monthly estimate for environment '{result.environment}' in {result.region}",
        f"(USD, on-demand prices, {HOURS_PER_MONTH} h/month, free tiers not subtracted)",
        "",
        f"{'service/item':<44} {'quantity':>12} {'unit price':>11} {'monthly':>10}  what",
    ]
    for line in sorted(result.lines, key=lambda line: -line.monthly_usd):
        use = line.usage
        out.append(
            f"{use.service + '/' + use.item:<44} {use.quantity:>12,.2f} {line.unit_price:>11.4f}"
            f" {line.monthly_usd:>10.2f}  {use.what} [{line.unit}]"
        )
    out += [
        "",
        f"{'TOTAL':<69} {result.total_usd:>10.2f}",
        "",
        "Assumptions (override with --assume name=value):",
    ]
    out += [f"  {name} = {value:g}" for name, value in sorted(result.assumptions.items())]
    if result.not_priced:
        out += ["", "Not priced (free, negligible, or usage not modelled):"]
        out.append("  " + ", ".join(result.not_priced))
    return "\n".join(out)


def as_dict(result: Estimate) -> dict[str, Any]:
    lines = [
        {
            "service": line.usage.service,
            "item": line.usage.item,
            "what": line.usage.what,
            "quantity": line.usage.quantity,
            "unit": line.unit,
            "unit_price_usd": line.unit_price,
            "monthly_usd": round(line.monthly_usd, 2),
        }
        for line in result.lines
    ]
    return {
        "environment": result.environment,
        "region": result.region,
        "total_usd": round(result.total_usd, 2),
        "lines": lines,
        "assumptions": result.assumptions,
        "not_priced": result.not_priced,
    }


def _parse_assumption(text: str) -> tuple[str, float]:
    name, _, value = text.partition("=")
    if name not in ASSUMPTIONS or not value:
        raise argparse.ArgumentTypeError(
            f"expected name=value with name one of {', '.join(ASSUMPTIONS)}"
        )
    return name, float(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m platformkit.cost", description=__doc__.split("\n")[0]
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--plan", type=Path, help="output of terraform show -json PLANFILE")
    source.add_argument(
        "--profile", type=Path, help="environment profile JSON (docs/cost/profiles)"
    )
    parser.add_argument("--prices", type=Path, default=PRICES_CSV)
    parser.add_argument("--region", help="price region (default: the plan's region variable)")
    parser.add_argument(
        "--environment", help="name shown in the report (default: the plan's environment variable)"
    )
    parser.add_argument(
        "--assume", type=_parse_assumption, action="append", default=[], metavar="NAME=VALUE"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)

    document = json.loads((args.plan or args.profile).read_text())
    plan = document if args.plan else plan_from_profile(document)
    try:
        result = estimate(plan, args.prices, args.region, args.environment, dict(args.assume))
    except PriceMissing as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(as_dict(result), indent=2))
    else:
        print(render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
