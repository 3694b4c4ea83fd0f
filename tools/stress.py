"""``make test-stress``: the portal and browser suites on a busy machine, several times.

CI machines are shared: a test that passes only when the machine is idle is a test that
fails some day for no reason. This runs the suites while CPU-burning processes (one per
``--burners``) compete with them, ``--rounds`` times in a row, and prints each round's
result and time. Any failed round fails the command.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

from tools import REPO_ROOT

BURN = "while True: pass"
DEFAULT_SUITES = ("tests/portal",)


def start_burners(count: int) -> list[subprocess.Popen]:
    return [
        subprocess.Popen([sys.executable, "-c", BURN], start_new_session=True)  # noqa: S603
        for _ in range(count)
    ]


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times to run the suites")
    parser.add_argument("--burners", type=int, default=2, help="CPU-burning processes beside")
    parser.add_argument("suites", nargs="*", default=list(DEFAULT_SUITES))
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.burners < 0:
        parser.error("--rounds must be 1 or more and --burners 0 or more, e.g. --rounds 3")

    results: list[tuple[int, int, float]] = []
    burners = start_burners(args.burners)
    try:
        for round_number in range(1, args.rounds + 1):
            print(
                f"[stress] round {round_number}/{args.rounds}: pytest {' '.join(args.suites)} "
                f"beside {args.burners} CPU burners",
                flush=True,
            )
            started = time.monotonic()
            code = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args.suites],
                cwd=REPO_ROOT,
                check=False,
            ).returncode
            results.append((round_number, code, time.monotonic() - started))
    finally:
        stop(burners)

    print("\n[stress] results")
    for round_number, code, seconds in results:
        verdict = "passed" if code == 0 else f"FAILED (exit {code})"
        print(f"  round {round_number}: {verdict} in {seconds / 60:.1f} min")
    failed = sum(1 for _, code, _ in results if code != 0)
    print(f"[stress] {len(results) - failed}/{len(results)} rounds passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
