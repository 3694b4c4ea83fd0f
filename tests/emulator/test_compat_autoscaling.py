"""moto compatibility fixes for autoscaling work and are still needed."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

REGION = "eu-west-1"


def test_autoscaling_policy_reports_enabled_and_no_empty_predictive_block(emulator_for):
    variant, client = emulator_for("autoscaling_policy_enabled_flag")
    ec2 = client("ec2")
    template = ec2.create_launch_template(
        LaunchTemplateName="web",
        LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"},
    )["LaunchTemplate"]["LaunchTemplateId"]
    autoscaling = client("autoscaling")
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="web",
        MinSize=1,
        MaxSize=2,
        LaunchTemplate={"LaunchTemplateId": template},
        AvailabilityZones=[f"{REGION}a"],
    )
    autoscaling.put_scaling_policy(
        AutoScalingGroupName="web",
        PolicyName="cpu",
        PolicyType="TargetTrackingScaling",
        Enabled=True,
        TargetTrackingConfiguration={
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
            "TargetValue": 70.0,
        },
    )
    (described,) = autoscaling.describe_policies(AutoScalingGroupName="web")["ScalingPolicies"]
    if variant == "patched":
        assert described["Enabled"] is True
        assert "PredictiveScalingConfiguration" not in described
    else:
        assert "Enabled" not in described


def _web_group(client, **group_options):
    """A launch template and an Auto Scaling group using it (one instance)."""
    ec2 = client("ec2")
    template = ec2.create_launch_template(
        LaunchTemplateName="web",
        LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"},
    )["LaunchTemplate"]["LaunchTemplateId"]
    autoscaling = client("autoscaling")
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="web",
        MinSize=1,
        MaxSize=2,
        LaunchTemplate={"LaunchTemplateId": template, "Version": "1"},
        AvailabilityZones=[f"{REGION}a"],
        **group_options,
    )
    return autoscaling


def test_autoscaling_group_keeps_default_instance_warmup(emulator_for):
    variant, client = emulator_for("autoscaling_default_instance_warmup")
    autoscaling = _web_group(client, DefaultInstanceWarmup=300)

    def warmup():
        (group,) = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])[
            "AutoScalingGroups"
        ]
        return group.get("DefaultInstanceWarmup")

    if variant == "patched":
        assert warmup() == 300
        autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", DefaultInstanceWarmup=120)
        assert warmup() == 120
        autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", MaxSize=3)
        assert warmup() == 120
    else:
        assert warmup() is None


def test_autoscaling_instance_refresh_is_recorded_and_cancel_needs_an_active_one(emulator_for):
    variant, client = emulator_for("autoscaling_instance_refresh")
    autoscaling = _web_group(client)
    start = {
        "AutoScalingGroupName": "web",
        "Strategy": "Rolling",
        "Preferences": {"MinHealthyPercentage": 100, "MaxHealthyPercentage": 200},
    }
    if variant == "raw":
        with pytest.raises(Exception, match="500|not yet implemented|InternalFailure"):
            autoscaling.start_instance_refresh(**start)
        return
    first = autoscaling.start_instance_refresh(**start)["InstanceRefreshId"]
    second = autoscaling.start_instance_refresh(**start)["InstanceRefreshId"]
    refreshes = autoscaling.describe_instance_refreshes(AutoScalingGroupName="web")[
        "InstanceRefreshes"
    ]
    assert [r["InstanceRefreshId"] for r in refreshes] == [second, first]  # newest first
    assert refreshes[0]["Status"] == "Successful"
    assert refreshes[0]["PercentageComplete"] == 100
    assert refreshes[0]["Preferences"]["MinHealthyPercentage"] == 100
    only_first = autoscaling.describe_instance_refreshes(
        AutoScalingGroupName="web", InstanceRefreshIds=[first]
    )["InstanceRefreshes"]
    assert [r["InstanceRefreshId"] for r in only_first] == [first]
    with pytest.raises(ClientError) as cancelled:
        autoscaling.cancel_instance_refresh(AutoScalingGroupName="web")
    assert cancelled.value.response["Error"]["Code"] == "ActiveInstanceRefreshNotFound"


def test_autoscaling_instances_follow_the_groups_launch_template_version(emulator_for):
    variant, client = emulator_for("autoscaling_instances_follow_launch_template")
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    web_sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    template = ec2.create_launch_template(
        LaunchTemplateName="web",
        LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"},
    )["LaunchTemplate"]["LaunchTemplateId"]
    # Version 2 (not the default version 1) carries the settings; the group names it.
    ec2.create_launch_template_version(
        LaunchTemplateId=template,
        LaunchTemplateData={
            "ImageId": "ami-12c6146b",
            "InstanceType": "t3.micro",
            "Monitoring": {"Enabled": True},
            "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled"},
            "NetworkInterfaces": [
                {"DeviceIndex": 0, "AssociatePublicIpAddress": False, "Groups": [web_sg]}
            ],
        },
    )
    autoscaling = client("autoscaling")
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="web",
        MinSize=1,
        MaxSize=1,
        LaunchTemplate={"LaunchTemplateId": template, "Version": "2"},
        VPCZoneIdentifier=subnet,
    )
    (member,) = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])[
        "AutoScalingGroups"
    ][0]["Instances"]
    instance = ec2.describe_instances(InstanceIds=[member["InstanceId"]])["Reservations"][0][
        "Instances"
    ][0]
    interface_groups = [g["GroupId"] for g in instance["NetworkInterfaces"][0]["Groups"]]
    if variant == "patched":
        assert interface_groups == [web_sg]
        assert instance["Monitoring"]["State"] == "enabled"
        assert instance["MetadataOptions"]["HttpTokens"] == "required"
        assert "PublicIpAddress" not in instance
    else:
        assert interface_groups != [web_sg]
        assert instance["Monitoring"]["State"] == "disabled"
