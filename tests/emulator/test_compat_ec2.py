"""moto compatibility fixes for ec2 work and are still needed."""

from __future__ import annotations

import pytest


def test_ec2_monitor_instances_enables_detailed_monitoring(emulator_for):
    variant, client = emulator_for("ec2_monitor_instances")
    ec2 = client("ec2")
    instance = ec2.run_instances(
        ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro"
    )["Instances"][0]["InstanceId"]
    if variant == "patched":
        reply = ec2.monitor_instances(InstanceIds=[instance])
        assert reply["InstanceMonitorings"] == [
            {"InstanceId": instance, "Monitoring": {"State": "enabled"}}
        ]
        state = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
        assert state["Monitoring"]["State"] == "enabled"
        ec2.unmonitor_instances(InstanceIds=[instance])
        state = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
        assert state["Monitoring"]["State"] == "disabled"
    else:
        with pytest.raises(Exception, match="500|not yet implemented|InternalFailure"):
            ec2.monitor_instances(InstanceIds=[instance])
