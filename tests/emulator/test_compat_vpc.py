"""moto compatibility fixes for VPC networking work and are still needed."""

from __future__ import annotations


def _vpc_with_two_groups(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    first = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    second = ec2.create_security_group(GroupName="alb", Description="alb", VpcId=vpc)["GroupId"]
    return vpc, first, second


def test_group_referencing_rule_keeps_its_description(emulator_for):
    variant, client = emulator_for("ec2_group_referencing_rule_descriptions")
    ec2 = client("ec2")
    _, web, alb = _vpc_with_two_groups(ec2)
    ec2.authorize_security_group_ingress(
        GroupId=web,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 80,
                "ToPort": 80,
                "UserIdGroupPairs": [{"GroupId": alb, "Description": "HTTP from the ALB"}],
            }
        ],
    )
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [web]}])
    (ingress,) = [r for r in rules["SecurityGroupRules"] if not r["IsEgress"]]
    if variant == "patched":
        assert ingress["Description"] == "HTTP from the ALB"
    else:
        assert ingress.get("Description") is None


def test_flow_log_to_a_log_group_arn_is_delivered(emulator_for):
    variant, client = emulator_for("ec2_flow_log_destination_arn")
    ec2, logs = client("ec2"), client("logs")
    vpc, _, _ = _vpc_with_two_groups(ec2)
    logs.create_log_group(logGroupName="/aws/vpc/flow-logs")
    arn = logs.describe_log_groups()["logGroups"][0]["arn"]
    ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="cloud-watch-logs",
        LogDestination=arn.removesuffix(":*"),
        DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/flow-logs",
    )
    (flow_log,) = ec2.describe_flow_logs()["FlowLogs"]
    if variant == "patched":
        assert flow_log["DeliverLogsStatus"] == "SUCCESS"
        assert flow_log["LogGroupName"] == "/aws/vpc/flow-logs"
    else:
        assert flow_log["DeliverLogsStatus"] == "FAILED"
