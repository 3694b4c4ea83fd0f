"""Monthly cost estimate of an environment, from a Terraform plan and a price table.

    terraform -chdir=terraform/environments/dev plan -out=tfplan
    terraform -chdir=terraform/environments/dev show -json tfplan > plan.json
    python -m tools.cost --plan plan.json --environment dev

or, without a plan (no AWS credentials needed), from a small description of the
environment (see docs/cost/profiles/*.json)::

    python -m tools.cost --profile docs/cost/profiles/prod.json

Prices come from ``docs/cost/prices.csv``; what a plan cannot say comes from the
estimator's assumptions (portal.cost), printed with every estimate and overridable with
``--assume name=value``. This module is the command line; the estimator is portal.cost.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from portal import cost
from portal.cost import (
    ASSUMPTIONS,
    HOURS_PER_MONTH,
    Estimate,
    PriceMissing,
    as_dict,
    plan_from_profile,
)
from tools import REPO_ROOT

PRICES_CSV = REPO_ROOT / "docs" / "cost" / "prices.csv"


def estimate(
    plan: dict[str, Any],
    prices_csv: Path = PRICES_CSV,
    region: str | None = None,
    environment: str | None = None,
    overrides: dict[str, float] | None = None,
) -> Estimate:
    """portal.cost.estimate with this checkout's price table by default."""
    return cost.estimate(plan, prices_csv, region, environment, overrides)


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


def _parse_assumption(text: str) -> tuple[str, float]:
    name, _, value = text.partition("=")
    if name not in ASSUMPTIONS or not value:
        raise argparse.ArgumentTypeError(
            f"expected name=value with name one of {', '.join(ASSUMPTIONS)}"
        )
    return name, float(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.cost", description=__doc__.split("\n")[0]
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
