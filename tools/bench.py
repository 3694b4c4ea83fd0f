"""``make bench``: how long the whole platform takes on the local emulator.

Each round uses a fresh emulator and work directory and times ``init`` (provider
from the plugin cache), ``apply``, the re-plan (must show no changes) and
``destroy``. Prints the median of each step over ``BENCH_RUNS`` rounds (default 3)
and writes every figure to ``.cache/bench/platform.json``. Measured, not asserted.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from emulator import Emulator
from tools import CACHE_DIR
from tools.local_platform import PLAN_NO_CHANGES, EnvironmentRun
from tools.terraform import check_terraform

STEPS = ("init", "apply", "plan", "destroy")


def one_round(number: int, log_dir: Path) -> dict[str, float]:
    with (
        tempfile.TemporaryDirectory(prefix="bench-") as workdir,
        Emulator(log_path=log_dir / f"emulator-{number}.log") as emulator,
        open(log_dir / f"terraform-{number}.log", "w") as log,
    ):
        run = EnvironmentRun(Path(workdir), {"aws_endpoint": emulator.endpoint}, log=log)
        run.init()
        run.apply()
        resources = run.resource_count()
        code, _ = run.plan_exit_code()
        run.destroy()
        figures = dict(run.timings.seconds)
        figures["resources"] = resources
        figures["plan_empty"] = code == PLAN_NO_CHANGES
        return figures


def main() -> int:
    rounds = int(os.environ.get("BENCH_RUNS", "3"))
    version = ".".join(map(str, check_terraform()))
    out_dir = CACHE_DIR / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for number in range(1, rounds + 1):
        started = time.monotonic()
        figures = one_round(number, out_dir)
        results.append(figures)
        steps = ", ".join(f"{step} {figures[step]:.1f}s" for step in STEPS)
        print(
            f"round {number}/{rounds}: {steps}; {figures['resources']} resources; "
            f"re-plan empty: {figures['plan_empty']} ({time.monotonic() - started:.0f}s)",
            flush=True,
        )
    medians = {step: statistics.median(r[step] for r in results) for step in STEPS}
    summary = {
        "rounds": rounds,
        "terraform": version,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "resources": results[-1]["resources"],
        "median_seconds": medians,
        "all_rounds": results,
    }
    (out_dir / "platform.json").write_text(json.dumps(summary, indent=2))
    print(f"\nlocal platform on the emulator, median of {rounds} round(s):")
    for step in STEPS:
        print(f"  {step:<8} {medians[step]:6.1f} s")
    print(f"  resources {summary['resources']}")
    print(f"written to {out_dir / 'platform.json'}")
    return 0 if all(r["plan_empty"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
