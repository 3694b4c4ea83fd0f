"""What a plan costs to run, one small pricer per resource type: each turns the planned
resources of its type into billable usage (service, item, quantity, what for).

A pricer registers for the types it prices; a type no pricer names is listed as
"not priced" with the estimate. Pricers run in the order they are defined here, which is
the order of equal-cost lines in the report."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from portal.cost.model import HOURS_PER_MONTH, Usage

Resource = dict[str, Any]
H = HOURS_PER_MONTH


@dataclass
class Bill:
    """The plan's resources by type, the assumptions, and the usage found so far."""

    resources: dict[str, list[Resource]]
    assume: dict[str, float]
    # Same service, item and description add up into one line (e.g. all log groups).
    totals: dict[tuple[str, str, str], float] = field(default_factory=dict)

    def of(self, resource_type: str) -> list[Resource]:
        return self.resources.get(resource_type, [])

    def add(self, service: str, item: str, quantity: float, what: str) -> None:
        if quantity:
            key = (service, item, what)
            self.totals[key] = self.totals.get(key, 0) + quantity


Pricer = Callable[[Bill], None]
PRICERS: list[tuple[tuple[str, ...], Pricer]] = []


def prices(*resource_types: str) -> Callable[[Pricer], Pricer]:
    def register(pricer: Pricer) -> Pricer:
        PRICERS.append((resource_types, pricer))
        return pricer

    return register


def _first(block: Any) -> dict[str, Any]:
    """Terraform renders nested blocks as lists; the first one, or {}."""
    return block[0] if isinstance(block, list) and block and isinstance(block[0], dict) else {}


@prices("aws_instance")
def standalone_instances(bill: Bill) -> None:
    for instance in bill.of("aws_instance"):
        kind = instance.get("instance_type", "t3.micro")
        bill.add("ec2", kind, H, f"{kind} standalone instance (bastion), always on")
        root = _first(instance.get("root_block_device"))
        volume = root.get("volume_size") or bill.assume["root_volume_gb"]
        bill.add("ebs", "gp3", volume, f"{kind} root volume (GB)")
        if instance.get("monitoring"):
            bill.add("ec2", "detailed-monitoring", 1, f"{kind} detailed monitoring")
        if instance.get("associate_public_ip_address"):
            bill.add("vpc", "public-ipv4", H, f"{kind} public IPv4 address")


@prices("aws_autoscaling_group", "aws_launch_template")
def web_tier(bill: Bill) -> None:
    templates = bill.of("aws_launch_template")
    template = templates[0] if templates else {}
    for group in bill.of("aws_autoscaling_group"):
        count = group.get("desired_capacity") or group.get("min_size") or 0
        kind = template.get("instance_type", "t3.micro")
        what = f"web tier: {count} x {kind} (min size; up to {group.get('max_size')} under load)"
        bill.add("ec2", kind, count * H, what)
        ebs = _first(_first(template.get("block_device_mappings")).get("ebs"))
        volume = ebs.get("volume_size") or bill.assume["root_volume_gb"]
        bill.add("ebs", "gp3", count * volume, "web tier root volumes (GB)")
        if _first(template.get("monitoring")).get("enabled"):
            bill.add("ec2", "detailed-monitoring", count, "web tier detailed monitoring")
        metrics = count * bill.assume["agent_metrics_per_web_instance"]
        bill.add("cloudwatch", "custom-metric", metrics, "CloudWatch agent metrics")


@prices("aws_nat_gateway")
def nat_gateways(bill: Bill) -> None:
    count = len(bill.of("aws_nat_gateway"))
    bill.add("vpc", "nat-gateway", count * H, f"{count} NAT gateway(s)")
    data = count * bill.assume["nat_gb_per_gateway"]
    bill.add("vpc", "nat-gateway-data", data, "NAT data processed (GB)")


@prices("aws_eip")
def elastic_ips(bill: Bill) -> None:
    bill.add("vpc", "public-ipv4", len(bill.of("aws_eip")) * H, "Elastic IP addresses")


@prices("aws_lb")
def load_balancers(bill: Bill) -> None:
    for balancer in bill.of("aws_lb"):
        if balancer.get("load_balancer_type", "application") != "application":
            continue
        bill.add("elb", "alb", H, "application load balancer")
        bill.add("elb", "alb-lcu", bill.assume["alb_lcu"] * H, "load balancer capacity units")
        if not balancer.get("internal"):
            ips = len(balancer.get("subnets") or []) or bill.assume["alb_public_ips"]
            bill.add("vpc", "public-ipv4", ips * H, "load balancer public IPv4 addresses")
    # What the site serves leaves through the load balancer.
    egress = bill.assume["internet_out_gb"] if bill.of("aws_lb") else 0
    bill.add("ec2", "data-transfer-out", egress, "internet egress (GB)")


@prices("aws_db_instance")
def databases(bill: Bill) -> None:
    for db in bill.of("aws_db_instance"):
        az = "multi-az" if db.get("multi_az") else "single-az"
        kind = db.get("instance_class", "db.t3.micro")
        bill.add("rds", f"{kind}-postgres-{az}", H, f"{kind} PostgreSQL, {az}")
        storage = db.get("allocated_storage") or 20
        bill.add("rds", f"gp3-{az}", storage, "database storage (GB)")
        backups = bill.assume["rds_backup_extra_gb"]
        bill.add("rds", "backup-storage", backups, "backups beyond the free allowance (GB)")
        if db.get("manage_master_user_password"):
            bill.add("secretsmanager", "secret", 1, "RDS-managed master password")


@prices("aws_dynamodb_table")
def dynamodb_tables(bill: Bill) -> None:
    for table in bill.of("aws_dynamodb_table"):
        if table.get("billing_mode") == "PAY_PER_REQUEST":
            reads = bill.assume["dynamodb_million_reads"]
            bill.add("dynamodb", "on-demand-read", reads, "session reads (millions)")
            writes = bill.assume["dynamodb_million_writes"]
            bill.add("dynamodb", "on-demand-write", writes, "session writes (millions)")
        storage = bill.assume["dynamodb_gb"]
        bill.add("dynamodb", "storage", storage, "session table storage (GB)")


@prices("aws_efs_file_system")
def file_systems(bill: Bill) -> None:
    stored = len(bill.of("aws_efs_file_system")) * bill.assume["efs_standard_gb"]
    bill.add("efs", "standard", stored, "product images (GB)")


@prices("aws_s3_bucket")
def buckets(bill: Bill) -> None:
    count = len(bill.of("aws_s3_bucket"))
    bill.add("s3", "standard", count * bill.assume["s3_gb"], "bucket storage (GB)")
    gets = count * bill.assume["s3_thousand_gets"]
    bill.add("s3", "get-requests", gets, "GET requests (thousands)")
    puts = count * bill.assume["s3_thousand_puts"]
    bill.add("s3", "put-requests", puts, "PUT requests (thousands)")


@prices("aws_flow_log")
def flow_logs(bill: Bill) -> None:
    ingested = len(bill.of("aws_flow_log")) * bill.assume["flow_log_gb"]
    bill.add("cloudwatch", "vended-logs-ingest", ingested, "VPC flow logs ingested (GB)")


@prices("aws_cloudwatch_log_group")
def log_groups(bill: Bill) -> None:
    groups = bill.of("aws_cloudwatch_log_group")
    for group in groups:
        # Stored volume at steady state: retention days' worth of the monthly ingest.
        retention = group.get("retention_in_days") or 30
        stored = bill.assume["log_gb_per_group"] * retention / 30.4
        bill.add("cloudwatch", "logs-storage", stored, "log storage (GB)")
    # One group per flow log holds vended logs, priced by flow_logs.
    others = max(0, len(groups) - len(bill.of("aws_flow_log")))
    ingested = others * bill.assume["log_gb_per_group"]
    bill.add("cloudwatch", "logs-ingest", ingested, "application/system logs ingested (GB)")


@prices("aws_cloudwatch_metric_alarm")
def alarms(bill: Bill) -> None:
    metrics = sum(
        sum(1 for query in alarm.get("metric_query") or [] if query.get("metric")) or 1
        for alarm in bill.of("aws_cloudwatch_metric_alarm")
    )
    bill.add("cloudwatch", "alarm-metric", metrics, "alarm metrics")


@prices("aws_cloudwatch_dashboard")
def dashboards(bill: Bill) -> None:
    bill.add("cloudwatch", "dashboard", len(bill.of("aws_cloudwatch_dashboard")), "dashboards")


@prices("aws_kms_key")
def kms_keys(bill: Bill) -> None:
    keys = len(bill.of("aws_kms_key"))
    bill.add("kms", "customer-key", keys, "customer managed keys")
    requests = bill.assume["kms_10k_requests"] if keys else 0
    bill.add("kms", "requests", requests, "KMS requests (10k)")


@prices("aws_secretsmanager_secret")
def secrets(bill: Bill) -> None:
    bill.add("secretsmanager", "secret", len(bill.of("aws_secretsmanager_secret")), "secrets")


def planned_resources(plan: dict[str, Any]) -> Iterator[tuple[str, Resource]]:
    """(type, values) of every managed resource in ``terraform show -json`` output."""
    pending = [plan.get("planned_values", {}).get("root_module", {})]
    while pending:
        module = pending.pop()
        for resource in module.get("resources", []):
            if resource.get("mode", "managed") == "managed":
                yield resource["type"], resource.get("values") or {}
        pending.extend(module.get("child_modules", []))


def usage_from_plan(
    plan: dict[str, Any], assume: dict[str, float]
) -> tuple[list[Usage], list[str]]:
    """Billable usage of a plan, and the resource types that were not priced."""
    resources: dict[str, list[Resource]] = {}
    for resource_type, values in planned_resources(plan):
        resources.setdefault(resource_type, []).append(values)
    bill = Bill(resources, assume)
    for _types, pricer in PRICERS:
        pricer(bill)
    priced = {resource_type for types, _pricer in PRICERS for resource_type in types}
    usage = [Usage(service, item, qty, what) for (service, item, what), qty in bill.totals.items()]
    return usage, sorted(set(resources) - priced)
