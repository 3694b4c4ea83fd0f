"""tools/iam_policy.py: action-level Allow/Deny and what documents grant."""

from __future__ import annotations

import json

from tools.iam_policy import (
    action_matches,
    allows,
    granted_actions,
    granted_services,
    unused_grants,
)

DOC = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["ec2:Describe*", "s3:GetObject"], "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::1:role/x"},
        {
            "Effect": "Deny",
            "Action": "ec2:DescribeRegions",
            "Resource": "*",
        },
        {
            "Effect": "Deny",
            "Action": "s3:GetObject",
            "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
    ],
}


def test_wildcards_are_case_insensitive():
    assert action_matches("ec2:Describe*", "EC2:describevpcs")
    assert action_matches("s3:Get?bject", "s3:GetObject")
    assert action_matches("*", "kms:Decrypt")
    assert not action_matches("ec2:Describe*", "ec2:CreateVpc")
    assert not action_matches("s3:Get", "s3:GetObject")


def test_allows_by_action_only():
    assert allows([DOC], "ec2:DescribeVpcs")
    assert allows([json.dumps(DOC)], "iam:passrole")
    assert not allows([DOC], "ec2:CreateVpc")


def test_unconditional_deny_wins_conditional_deny_is_ignored():
    assert not allows([DOC], "ec2:DescribeRegions")
    assert allows([DOC], "s3:GetObject")


def test_deny_in_another_document_wins():
    deny = {"Statement": {"Effect": "Deny", "NotAction": ["sts:*"], "Resource": "*"}}
    assert not allows([DOC, deny], "ec2:DescribeVpcs")
    assert not allows([{"Statement": []}], "sts:GetCallerIdentity")


def test_not_action_allow_grants_everything_else():
    doc = {"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}
    assert allows([doc], "ec2:RunInstances")
    assert not allows([doc], "iam:CreateUser")
    assert granted_services([doc]) == {"*"}


def test_granted_actions_and_services():
    assert granted_actions([DOC]) == {"ec2:Describe*", "s3:GetObject", "iam:PassRole"}
    assert granted_services([DOC]) == {"ec2", "s3", "iam"}


def test_unused_grants():
    assert unused_grants([DOC], ["ec2:DescribeVpcs", "s3:GetObject"]) == {"iam:PassRole"}
