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


def test_ec2_launch_template_version_data_holds_only_what_was_sent(emulator_for):
    variant, client = emulator_for("ec2_launch_template_data_without_own_tags")
    ec2 = client("ec2")
    instance_tags = {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}
    template = ec2.create_launch_template(
        LaunchTemplateName="web",
        LaunchTemplateData={
            "ImageId": "ami-12c6146b",
            "InstanceType": "t3.micro",
            "TagSpecifications": [instance_tags],
        },
        TagSpecifications=[
            {"ResourceType": "launch-template", "Tags": [{"Key": "Owner", "Value": "web"}]}
        ],
    )["LaunchTemplate"]["LaunchTemplateId"]
    (version,) = ec2.describe_launch_template_versions(LaunchTemplateId=template)[
        "LaunchTemplateVersions"
    ]
    specs = version["LaunchTemplateData"]["TagSpecifications"]
    (described,) = ec2.describe_launch_templates(LaunchTemplateIds=[template])["LaunchTemplates"]
    assert described["Tags"] == [{"Key": "Owner", "Value": "web"}]  # the template's own tags
    if variant == "patched":
        assert specs == [instance_tags]
    else:
        assert {
            "ResourceType": "launch-template",
            "Tags": [{"Key": "Owner", "Value": "web"}],
        } in specs


def test_ec2_instance_reports_the_groups_of_its_primary_interface(emulator_for):
    variant, client = emulator_for("ec2_instance_groups_from_primary_interface")
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="bastion", Description="b", VpcId=vpc)["GroupId"]
    # What the provider sends for aws_instance with associate_public_ip_address.
    instance = ec2.run_instances(
        ImageId="ami-12c6146b",
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.micro",
        NetworkInterfaces=[
            {
                "DeviceIndex": 0,
                "SubnetId": subnet,
                "Groups": [group],
                "AssociatePublicIpAddress": True,
            }
        ],
    )["Instances"][0]["InstanceId"]
    described = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
    assert [g["GroupId"] for g in described["NetworkInterfaces"][0]["Groups"]] == [group]
    if variant == "patched":
        assert [g["GroupId"] for g in described["SecurityGroups"]] == [group]
    else:
        assert described["SecurityGroups"] == []
