"""Monthly cost estimate of an environment from a Terraform plan (``terraform show -json``)
and the project's price table. Used by ``make cost`` (tools.cost) and, on every
plan, by the portal."""

from portal.cost.estimator import estimate
from portal.cost.model import (
    ASSUMPTIONS,
    HOURS_PER_MONTH,
    Estimate,
    LineItem,
    PriceMissing,
    Usage,
    as_dict,
    load_prices,
)
from portal.cost.pricers import PRICERS, planned_resources, usage_from_plan
from portal.cost.profiles import plan_from_profile

__all__ = [
    "ASSUMPTIONS",
    "HOURS_PER_MONTH",
    "PRICERS",
    "Estimate",
    "LineItem",
    "PriceMissing",
    "Usage",
    "as_dict",
    "estimate",
    "load_prices",
    "plan_from_profile",
    "planned_resources",
    "usage_from_plan",
]
