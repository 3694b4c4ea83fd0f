"""tools/policy_check.py: policy collection, parliament findings, justifications.

Fast (no Terraform): the real documents are linted by tests/integration/test_policies.py
from the applied state, since most are unknown at plan time.
"""

from __future__ import annotations

import json

import pytest

from tools import TERRAFORM_DIR
from tools.policy_check import (
    MODULES_DIR,
    PolicyDocument,
    collect_policies,
    justification_files,
    lint,
    load_justifications,
    stale,
    unjustified,
)

STAR = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
    }
)
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


def test_collects_policies_from_state_with_their_module():
    state = {
        "values": {
            "root_module": {
                "resources": [],
                "child_modules": [
                    {
                        "resources": [
                            {
                                "address": "module.platform.module.web_role.aws_iam_role.this",
                                "mode": "managed",
                                "type": "aws_iam_role",
                                "values": {"assume_role_policy": TRUST},
                            },
                            {
                                "address": "module.platform.module.web_role.data.x.y",
                                "mode": "data",
                                "type": "aws_iam_role",
                                "values": {},
                            },
                        ]
                    }
                ],
            }
        }
    }
    (policy,) = collect_policies(state, TERRAFORM_DIR / "environments" / "local")
    assert (policy.kind, policy.local_address) == ("trust", "aws_iam_role.this")
    assert policy.module_dir == MODULES_DIR / "web-role"


def test_trust_policies_without_resource_are_not_malformed():
    trust = PolicyDocument("aws_iam_role.r", "assume_role_policy", "trust", TRUST, MODULES_DIR)
    assert lint([trust]) == []


def test_justified_unjustified_and_stale(tmp_path):
    policy = PolicyDocument("aws_iam_policy.p", "policy", "identity", STAR, tmp_path)
    findings = lint([policy])
    assert [f.issue for f in findings] == ["RESOURCE_STAR"]
    justifications = tmp_path / "policy-lint.yaml"
    justifications.write_text(
        "- {policy: aws_iam_policy.p, issue: RESOURCE_STAR, action: s3:GetObject, reason: why}\n"
        "- {policy: aws_iam_policy.gone, issue: RESOURCE_STAR, reason: stale}\n"
        "- {policy: aws_iam_policy.p, issue: RESOURCE_STAR, action: s3:PutObject, reason: other}\n"
    )
    entries = load_justifications([justifications])
    assert unjustified(findings, entries) == []
    assert [(j.policy, j.action) for j in stale(findings, entries)] == [
        ("aws_iam_policy.gone", None),
        ("aws_iam_policy.p", "s3:PutObject"),
    ]
    assert unjustified(findings, entries[1:]) == findings


def test_a_justification_needs_a_reason(tmp_path):
    path = tmp_path / "policy-lint.yaml"
    path.write_text("- {policy: aws_iam_policy.p, issue: RESOURCE_STAR}\n")
    with pytest.raises(ValueError, match="reason"):
        load_justifications([path])


def test_checked_in_justification_files_load():
    files = justification_files()
    assert files, "no policy-lint.yaml found under terraform/"
    assert all(j.reason.strip() for j in load_justifications(files))
