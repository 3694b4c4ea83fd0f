"""Static checks over every Terraform root in the repository.

``python -m tools.checks validate``  init + validate every module and
environment; any warning (deprecations included: users get provider 6.x) fails.
``python -m tools.checks tftest``    ``terraform test`` in every module that
has tests (mock providers; fast, no emulator).
``python -m tools.checks checkov-report FILE``  fail on failed checks or on
files checkov could not parse (it exits 0 for those).

Each prints one line per directory and a closing "N passed, N failed" line.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools import TERRAFORM_DIR
from tools.terraform import TerraformNotUsable, check_terraform, terraform_env


def terraform_roots() -> list[Path]:
    """Every module, environment and bootstrap root (directories holding versions.tf)."""
    roots = {
        path.parent for path in TERRAFORM_DIR.rglob("versions.tf") if ".terraform" not in path.parts
    }
    return sorted(roots)


def _terraform(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["terraform", f"-chdir={directory}", *args],
        env=terraform_env(),
        capture_output=True,
        text=True,
        check=False,
    )


def _init(directory: Path) -> str | None:
    result = _terraform(directory, "init", "-backend=false", "-input=false", "-no-color")
    if result.returncode != 0:
        return result.stdout[-3000:] + result.stderr[-3000:]
    return None


def validate(directory: Path) -> tuple[bool, str]:
    problem = _init(directory)
    if problem:
        return False, f"init failed:\n{problem}"
    result = _terraform(directory, "validate", "-json", "-no-color")
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return False, result.stdout + result.stderr
    diagnostics = [
        f"  {d['severity']}: {d['summary']}: {d.get('detail', '')}".rstrip()
        + (f" ({d['range']['filename']}:{d['range']['start']['line']})" if "range" in d else "")
        for d in report.get("diagnostics", [])
    ]
    ok = report["valid"] and report["warning_count"] == 0
    return ok, "\n".join(diagnostics)


def tftest(directory: Path) -> tuple[bool, str]:
    problem = _init(directory)
    if problem:
        return False, f"init failed:\n{problem}"
    result = _terraform(directory, "test", "-no-color")
    summary = [
        line for line in result.stdout.splitlines() if line.startswith(("Success!", "Failure!"))
    ]
    if result.returncode != 0:
        return False, result.stdout[-6000:] + result.stderr[-3000:]
    return True, summary[-1] if summary else ""


def _run(kind: str) -> int:
    try:
        check_terraform()
    except TerraformNotUsable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if kind == "validate":
        check, roots = validate, terraform_roots()
    else:
        check = tftest
        roots = [root for root in terraform_roots() if any((root / "tests").glob("*.tftest.hcl"))]
    passed = failed = 0
    started = time.monotonic()
    # The first root runs alone: it fills the shared provider plugin cache, which two
    # concurrent `terraform init`s cannot both fill. Then two at a time: this is I/O
    # and provider start-up bound, and CI has 2 cores.
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [check(roots[0])] if roots else []
        results += pool.map(check, roots[1:])
        for root, (ok, detail) in zip(roots, results, strict=True):
            name = root.relative_to(TERRAFORM_DIR.parent)
            if ok:
                passed += 1
                print(f"ok     {kind} {name} {detail}".rstrip())
            else:
                failed += 1
                print(f"FAILED {kind} {name}\n{detail}")
    elapsed = time.monotonic() - started
    print(f"terraform {kind}: {passed} passed, {failed} failed in {elapsed:.0f}s")
    return 1 if failed or not roots else 0


def checkov_report(path: Path) -> int:
    """checkov exits 0 when it cannot parse a file; an unread file is a failure here."""
    summary = json.loads(path.read_text())["summary"]
    print(
        f"checkov: {summary['passed']} passed, {summary['failed']} failed, "
        f"{summary['skipped']} skipped (inline, with reasons), "
        f"{summary['parsing_errors']} unparsed files"
    )
    if summary["parsing_errors"]:
        print("error: checkov could not parse a file; run it with LOG_LEVEL=DEBUG", file=sys.stderr)
    return 1 if summary["failed"] or summary["parsing_errors"] else 0


def _main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "checkov-report":
        return checkov_report(Path(argv[2]))
    if len(argv) != 2 or argv[1] not in ("validate", "tftest"):
        print(
            "usage: python -m tools.checks validate|tftest|checkov-report FILE",
            file=sys.stderr,
        )
        return 2
    return _run(argv[1])


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
