"""Every IAM policy the platform creates passes parliament, bar justified findings.

The documents come from the applied state (the environment's and the bootstrap's):
at plan time most of them name ARNs of resources not created yet, so their JSON is
unknown. Justifications sit next to each policy in its module's policy-lint.yaml
(tools/policy_check.py); a justification that no longer matches a finding fails too.
"""

from __future__ import annotations

import pytest

from tests.integration.conftest import ARTIFACTS
from tools import ENVIRONMENTS_DIR
from tools.policy_check import (
    BOOTSTRAP_DIR,
    collect_policies,
    justification_files,
    lint,
    load_justifications,
    show_state,
    stale,
    unjustified,
)


@pytest.mark.integration
def test_every_policy_passes_parliament_or_is_justified(deployment, bootstrap):
    policies = collect_policies(
        show_state(deployment.run.config_dir, deployment.run.env), ENVIRONMENTS_DIR / "local"
    ) + collect_policies(bootstrap.state, BOOTSTRAP_DIR)
    assert [p.name for p in policies if p.document is None] == []
    findings = lint(policies)
    justifications = load_justifications(justification_files())
    open_findings = unjustified(findings, justifications)
    stale_entries = stale(findings, justifications)

    kinds = ", ".join(
        f"{kind} {sum(p.kind == kind for p in policies)}"
        for kind in ("identity", "trust", "resource")
    )
    report = [
        f"policies linted: {len(policies)} ({kinds})",
        f"parliament findings: {len(findings)}, justified: {len(findings) - len(open_findings)}, "
        f"justifications: {len(justifications)}",
        *(f"  justified: {f}" for f in findings if f not in open_findings),
        *(f"  UNJUSTIFIED: {f}" for f in open_findings),
        *(f"  STALE: {j}" for j in stale_entries),
    ]
    (ARTIFACTS / "policy-lint.txt").write_text("\n".join(report) + "\n")
    print("\n".join(report))
    assert open_findings == [], "parliament findings without a justification:\n" + "\n".join(
        map(str, open_findings)
    )
    assert stale_entries == [], "justifications that match no finding any more:\n" + "\n".join(
        map(str, stale_entries)
    )
