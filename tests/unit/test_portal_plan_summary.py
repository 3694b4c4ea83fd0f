"""The readable plan summary built from `terraform show -json`."""

from __future__ import annotations

import json

from portal.plan_summary import has_changes, summarize

PLAN_JSON = {
    "format_version": "1.2",
    "terraform_version": "1.11.4",
    "resource_changes": [
        {
            "address": "aws_vpc.main",
            "type": "aws_vpc",
            "change": {
                "actions": ["create"],
                "before": None,
                "after": {"cidr_block": "10.0.0.0/16", "tags": {"Name": "x"}, "ipv6": None},
                "after_unknown": {"id": True, "arn": True},
            },
        },
        {
            "address": "aws_instance.web",
            "type": "aws_instance",
            "change": {
                "actions": ["update"],
                "before": {"instance_type": "t3.micro", "ami": "ami-1", "monitoring": True},
                "after": {"instance_type": "t3.small", "ami": "ami-1", "monitoring": True},
                "after_unknown": {},
            },
        },
        {
            "address": "aws_db_instance.db",
            "type": "aws_db_instance",
            "change": {
                "actions": ["delete", "create"],
                "before": {"engine": "postgres"},
                "after": {"engine": "postgres", "password": "s3cret-value"},
                "after_unknown": {},
                # Terraform's own marker: the provider schema says password is sensitive.
                "after_sensitive": {"password": True},
                "replace_paths": [["engine_version"]],
            },
        },
        {
            "address": "aws_s3_bucket.old",
            "type": "aws_s3_bucket",
            "change": {"actions": ["delete"], "before": {"bucket": "old"}, "after": None},
        },
        {
            "address": "aws_iam_role.same",
            "type": "aws_iam_role",
            "change": {"actions": ["no-op"], "before": {}, "after": {}},
        },
        {
            "address": "data.aws_caller_identity.me",
            "type": "aws_caller_identity",
            "change": {"actions": ["read"], "before": None, "after": {}},
        },
    ],
    "output_changes": {"vpc_id": {"actions": ["create"]}, "same": {"actions": ["no-op"]}},
}


def test_counts_match_terraform_wording() -> None:
    summary = summarize(PLAN_JSON)
    # A replacement counts as one to add and one to destroy, like Terraform's own line.
    assert (summary["add"], summary["change"], summary["destroy"]) == (2, 1, 2)


def test_each_changed_resource_lists_its_action_and_changed_attribute_names() -> None:
    by_address = {r["address"]: r for r in summarize(PLAN_JSON)["resources"]}
    assert set(by_address) == {
        "aws_vpc.main",
        "aws_instance.web",
        "aws_db_instance.db",
        "aws_s3_bucket.old",
    }
    vpc = by_address["aws_vpc.main"]
    assert (vpc["type"], vpc["module"], vpc["action"]) == ("aws_vpc", "(root)", "create")
    assert vpc["changed"] == ["arn", "cidr_block", "id", "tags"]
    assert by_address["aws_instance.web"]["changed"] == ["instance_type"]
    assert by_address["aws_db_instance.db"]["action"] == "replace"
    assert by_address["aws_db_instance.db"]["forces_replacement"] == ["engine_version"]
    assert by_address["aws_s3_bucket.old"]["changed"] == []


def test_a_create_shows_its_known_values_and_what_is_known_after_apply() -> None:
    vpc = next(r for r in summarize(PLAN_JSON)["resources"] if r["address"] == "aws_vpc.main")
    assert vpc["attributes"] == [
        {"path": "arn", "before": None, "after": "(known after apply)"},
        {"path": "cidr_block", "before": None, "after": '"10.0.0.0/16"'},
        {"path": "id", "before": None, "after": "(known after apply)"},
        {"path": "tags.Name", "before": None, "after": '"x"'},
    ]  # ipv6 = null is left out: a create shows what it sets


def test_an_update_shows_only_what_differs_before_and_after() -> None:
    web = next(r for r in summarize(PLAN_JSON)["resources"] if r["address"] == "aws_instance.web")
    assert web["attributes"] == [
        {"path": "instance_type", "before": '"t3.micro"', "after": '"t3.small"'}
    ]


def test_nested_blocks_and_lists_are_shown_by_path() -> None:
    plan = {
        "resource_changes": [
            {
                "address": "aws_security_group.web",
                "type": "aws_security_group",
                "change": {
                    "actions": ["update"],
                    "before": {"ingress": [{"from_port": 80, "cidr_blocks": ["10.0.0.0/8"]}]},
                    "after": {"ingress": [{"from_port": 443, "cidr_blocks": ["10.0.0.0/8"]}]},
                    "after_unknown": {"ingress": [{}]},
                    "before_sensitive": {"ingress": [{}]},
                    "after_sensitive": {"ingress": [{}]},
                },
            }
        ]
    }
    (sg,) = summarize(plan)["resources"]
    assert sg["attributes"] == [{"path": "ingress[0].from_port", "before": "80", "after": "443"}]


def test_sensitive_values_are_masked_by_terraforms_markers() -> None:
    summary = summarize(PLAN_JSON)
    assert "s3cret-value" not in json.dumps(summary)
    db = next(r for r in summary["resources"] if r["address"] == "aws_db_instance.db")
    assert {
        "path": "password",
        "before": None,
        "after": "(sensitive value)",
        "sensitive": True,
    } in (db["attributes"])


def test_a_whole_sensitive_object_and_a_sensitive_output_are_masked() -> None:
    plan = {
        "resource_changes": [
            {
                "address": "aws_secretsmanager_secret_version.v",
                "type": "aws_secretsmanager_secret_version",
                "change": {
                    "actions": ["update"],
                    "before": {"secret_string": "old-secret", "nested": {"k": "old-nested"}},
                    "after": {"secret_string": "new-secret", "nested": {"k": "new-nested"}},
                    "before_sensitive": True,
                    "after_sensitive": True,
                },
            }
        ],
        "output_changes": {
            "token": {
                "actions": ["update"],
                "before": "old-token",
                "after": "new-token",
                "before_sensitive": True,
                "after_sensitive": True,
            },
            "plain": {"actions": ["create"], "before": None, "after": "hello"},
        },
    }
    summary = summarize(plan)
    text = json.dumps(summary)
    for secret in (
        "old-secret",
        "new-secret",
        "old-nested",
        "new-nested",
        "old-token",
        "new-token",
    ):
        assert secret not in text
    assert summary["resources"][0]["attributes"] == [
        {"path": "", "before": "(sensitive value)", "after": "(sensitive value)", "sensitive": True}
    ]
    assert summary["outputs"] == [
        {"name": "plain", "action": "create", "before": None, "after": '"hello"'},
        {
            "name": "token",
            "action": "update",
            "before": "(sensitive value)",
            "after": "(sensitive value)",
        },
    ]


def test_long_values_are_cut_and_the_full_text_is_pointed_to() -> None:
    policy = "x" * 10_000
    plan = {
        "resource_changes": [
            {
                "address": "aws_iam_policy.p",
                "change": {"actions": ["create"], "before": None, "after": {"policy": policy}},
            }
        ]
    }
    (attribute,) = summarize(plan)["resources"][0]["attributes"]
    assert len(attribute["after"]) < 4100 and "more characters" in attribute["after"]


def test_resources_are_ordered_create_replace_update_delete() -> None:
    actions = [r["action"] for r in summarize(PLAN_JSON)["resources"]]
    assert actions == ["create", "replace", "update", "delete"]


def test_outputs_and_no_changes() -> None:
    summary = summarize(PLAN_JSON)
    assert summary["outputs"] == [
        {"name": "vpc_id", "action": "create", "before": None, "after": None}
    ]
    assert has_changes(summary)
    empty = summarize({"resource_changes": [PLAN_JSON["resource_changes"][4]]})
    assert not has_changes(empty)
    assert (empty["add"], empty["change"], empty["destroy"]) == (0, 0, 0)


def test_changes_are_counted_per_module() -> None:
    from portal.plan_summary import module_of

    assert module_of("aws_vpc.main") == "(root)"
    assert module_of("module.platform.module.network.aws_vpc.this") == (
        "module.platform.module.network"
    )
    assert module_of('module.platform.module.static_assets.aws_s3_object.asset["a.css"]') == (
        "module.platform.module.static_assets"
    )
    assert module_of('module.web["blue"].aws_instance.this[0]') == 'module.web["blue"]'
    assert module_of('module.site["a.b"].aws_s3_object.x') == 'module.site["a.b"]'
    nested = {
        "resource_changes": [
            {"address": "module.net.aws_vpc.this", "change": {"actions": ["create"]}},
            {"address": "module.net.aws_subnet.a", "change": {"actions": ["delete"]}},
            {
                "address": "aws_s3_bucket.logs",
                "change": {"actions": ["update"], "before": {"a": 1}, "after": {"a": 2}},
            },
        ]
    }
    assert summarize(nested)["modules"] == {
        "(root)": {"add": 0, "change": 1, "destroy": 0},
        "module.net": {"add": 1, "change": 0, "destroy": 1},
    }
