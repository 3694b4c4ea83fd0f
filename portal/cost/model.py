"""Monthly cost of an environment: billable usage (from portal.cost.pricers) times the
project's price table (docs/cost/prices.csv: one row per service, item and region, each
with the date and the AWS pricing page it was read from). What a plan cannot say
(traffic, gigabytes stored, log volume) comes from ASSUMPTIONS, shown with every
estimate and overridable. Free tiers are ignored: the estimate is what the environment
costs once they are used up."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
