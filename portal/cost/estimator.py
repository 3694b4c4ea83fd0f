"""The estimate: the usage the pricers find in a plan, priced from the price table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from portal.cost.model import ASSUMPTIONS, Estimate, LineItem, PriceMissing, load_prices
from portal.cost.pricers import usage_from_plan


def estimate(
    plan: dict[str, Any],
    prices_csv: Path,
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
