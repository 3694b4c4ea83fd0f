"""moto compatibility fixes for ec2 work and are still needed."""

from __future__ import annotations

import botocore.exceptions
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


def test_ec2_revoke_of_a_gone_rule_id_is_rule_id_not_found(emulator_for):
    variant, client = emulator_for("ec2_revoke_unknown_rule_id_not_found")
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    web = ec2.create_security_group(GroupName="web", Description="w", VpcId=vpc)["GroupId"]
    database = ec2.create_security_group(GroupName="db", Description="d", VpcId=vpc)["GroupId"]
    postgres = {
        "IpProtocol": "tcp",
        "FromPort": 5432,
        "ToPort": 5432,
        "UserIdGroupPairs": [{"GroupId": database}],
    }
    egress = ec2.authorize_security_group_egress(GroupId=web, IpPermissions=[postgres])
    ingress = ec2.authorize_security_group_ingress(
        GroupId=database, IpPermissions=[{**postgres, "UserIdGroupPairs": [{"GroupId": web}]}]
    )
    cases = [
        (ec2.revoke_security_group_egress, web, egress),
        (ec2.revoke_security_group_ingress, database, ingress),
    ]
    for revoke, group, authorized in cases:
        rule = authorized["SecurityGroupRules"][0]["SecurityGroupRuleId"]
        # Validated before anything is removed: a call naming one gone id revokes nothing.
        with pytest.raises(botocore.exceptions.ClientError) as unknown:
            revoke(GroupId=group, SecurityGroupRuleIds=[rule, "sgr-00000000000000000"])
        assert ec2.describe_security_group_rules(SecurityGroupRuleIds=[rule])["SecurityGroupRules"]
        # What the provider's delete sends; the second call is an SDK retry of the first.
        revoke(GroupId=group, SecurityGroupRuleIds=[rule])
        with pytest.raises(botocore.exceptions.ClientError) as retried:
            revoke(GroupId=group, SecurityGroupRuleIds=[rule])
        codes = {e.value.response["Error"]["Code"] for e in (unknown, retried)}
        if variant == "patched":
            assert codes == {"InvalidSecurityGroupRuleId.NotFound"}
            assert rule in str(retried.value)
        else:
            assert codes == {"InvalidPermission.NotFound"}
