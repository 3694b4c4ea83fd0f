"""What the worker keeps of an environment after an apply: masked outputs and the
resource addresses in state (from Terraform's own JSON, never its attribute values)."""

from __future__ import annotations

from worker.state_readback import masked_outputs, state_resources


def test_sensitive_outputs_and_outputs_holding_a_secret_setting_lose_their_value() -> None:
    outputs = {
        "alb_dns_name": {"sensitive": False, "type": "string", "value": "shop.example"},
        "db_password": {"sensitive": True, "type": "string", "value": "hunter2-hunter2"},
        "endpoints": {
            "sensitive": False,
            "type": ["object", {"url": "string"}],
            "value": {"url": "https://x/?key=tok-123456"},
        },
    }
    masked = masked_outputs(outputs, ["tok-123456"])
    assert masked["alb_dns_name"] == {"sensitive": False, "type": "string", "value": "shop.example"}
    assert masked["db_password"]["value"] is None and masked["db_password"]["sensitive"]
    assert masked["endpoints"]["value"] is None and masked["endpoints"]["sensitive"]
    assert "hunter2" not in repr(masked) and "tok-123456" not in repr(masked)
    assert masked_outputs({}, []) == {}


def test_resources_are_listed_from_every_module_without_attribute_values() -> None:
    state = {
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_s3_bucket.logs",
                        "mode": "managed",
                        "type": "aws_s3_bucket",
                        "values": {"secret": "s3cr3t"},
                    }
                ],
                "child_modules": [
                    {
                        "address": "module.network",
                        "resources": [
                            {
                                "address": "module.network.data.aws_region.current",
                                "mode": "data",
                                "type": "aws_region",
                            }
                        ],
                        "child_modules": [
                            {
                                "address": "module.network.module.nat",
                                "resources": [
                                    {
                                        "address": "module.network.module.nat.aws_eip.this[0]",
                                        "mode": "managed",
                                        "type": "aws_eip",
                                    }
                                ],
                            }
                        ],
                    }
                ],
            }
        }
    }
    resources = state_resources(state)
    assert [r["address"] for r in resources] == [
        "aws_s3_bucket.logs",
        "module.network.data.aws_region.current",
        "module.network.module.nat.aws_eip.this[0]",
    ]
    assert resources[1] == {
        "address": "module.network.data.aws_region.current",
        "mode": "data",
        "type": "aws_region",
        "module": "module.network",
    }
    assert "s3cr3t" not in repr(resources)
    assert state_resources({}) == []  # an empty state (nothing applied yet)
