"""Read a deployed platform back from the (emulated or real) AWS account.

A short, human-readable proof used by ``make demo``: each check names the requirement
it reads. The exhaustive proof is the pytest integration suite (tests/integration).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Client = Callable[[str], Any]


@dataclass
class Check:
    requirement: str
    ok: bool
    found: str


def _only(items: list[Any], what: str) -> Any:
    if len(items) != 1:
        raise LookupError(f"expected one {what}, found {len(items)}")
    return items[0]


def run_checks(aws: Client, name_prefix: str) -> list[Check]:
    checks: list[Check] = []

    def check(requirement: str, probe: Callable[[], tuple[bool, str]]) -> None:
        try:
            ok, found = probe()
        except Exception as error:  # noqa: BLE001 - a failed probe is a failed check
            ok, found = False, f"{type(error).__name__}: {error}"
        checks.append(Check(requirement, ok, found))

    ec2, autoscaling = aws("ec2"), aws("autoscaling")

    def vpc_and_subnets() -> tuple[bool, str]:
        vpcs = [v for v in ec2.describe_vpcs()["Vpcs"] if not v["IsDefault"]]
        vpc = _only(vpcs, "VPC")
        subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])
        zones = {s["AvailabilityZone"] for s in subnets["Subnets"]}
        count = len(subnets["Subnets"])
        return count >= 6 and len(
            zones
        ) >= 2, f"{vpc['CidrBlock']}, {count} subnets in {len(zones)} AZs"

    def nat_gateway() -> tuple[bool, str]:
        gateways = [
            g for g in ec2.describe_nat_gateways()["NatGateways"] if g["State"] == "available"
        ]
        return len(gateways) >= 1, f"{len(gateways)} NAT gateway(s) available"

    def nacls() -> tuple[bool, str]:
        custom = [n for n in ec2.describe_network_acls()["NetworkAcls"] if not n["IsDefault"]]
        return len(custom) >= 3, f"{len(custom)} custom network ACLs (one per tier)"

    def web_fleet() -> tuple[bool, str]:
        group = _only(
            [
                g
                for g in autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]
                if g["AutoScalingGroupName"].startswith(name_prefix)
            ],
            "web Auto Scaling group",
        )
        template = group["LaunchTemplate"]["LaunchTemplateId"]
        data = ec2.describe_launch_template_versions(
            LaunchTemplateId=template, Versions=["$Latest"]
        )["LaunchTemplateVersions"][0]["LaunchTemplateData"]
        ok = (
            group["MinSize"] == 1
            and group["MaxSize"] == 2
            and data["InstanceType"] == "t3.micro"
            and data.get("Monitoring", {}).get("Enabled") is True
            and data.get("MetadataOptions", {}).get("HttpTokens") == "required"
        )
        return ok, (
            f"ASG min {group['MinSize']} max {group['MaxSize']}, {data['InstanceType']}, "
            f"detailed monitoring {data.get('Monitoring', {}).get('Enabled')}, "
            f"IMDSv2 {data.get('MetadataOptions', {}).get('HttpTokens')}"
        )

    def scaling_policy() -> tuple[bool, str]:
        policies = autoscaling.describe_policies()["ScalingPolicies"]
        policy = _only(
            [p for p in policies if p["PolicyType"] == "TargetTrackingScaling"], "policy"
        )
        config = policy["TargetTrackingConfiguration"]
        metric = config["PredefinedMetricSpecification"]["PredefinedMetricType"]
        return (
            metric == "ASGAverageCPUUtilization" and config["TargetValue"] == 70,
            f"{metric} target {config['TargetValue']:g} %",
        )

    def load_balancer() -> tuple[bool, str]:
        balancer = _only(aws("elbv2").describe_load_balancers()["LoadBalancers"], "load balancer")
        return balancer[
            "Scheme"
        ] == "internet-facing", f"{balancer['Scheme']} {balancer['DNSName']}"

    def bastion() -> tuple[bool, str]:
        instances = [
            i
            for r in ec2.describe_instances(
                Filters=[{"Name": "instance-state-name", "Values": ["running", "pending"]}]
            )["Reservations"]
            for i in r["Instances"]
            if any(t["Key"] == "Name" and "bastion" in t["Value"] for t in i.get("Tags", []))
        ]
        instance = _only(instances, "bastion")
        groups = [g["GroupId"] for g in instance["SecurityGroups"]]
        rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": groups}])
        ingress = [r for r in rules["SecurityGroupRules"] if not r["IsEgress"]]
        ssh_only = all(r["FromPort"] == 22 and r["ToPort"] == 22 for r in ingress)
        open_world = any(r.get("CidrIpv4") == "0.0.0.0/0" for r in ingress)
        sources = [r.get("CidrIpv4") for r in ingress]
        return (
            instance["InstanceType"] == "t3.micro" and ssh_only and not open_world,
            f"{instance['InstanceType']}, SSH from {sources} only",
        )

    def database() -> tuple[bool, str]:
        db = _only(aws("rds").describe_db_instances()["DBInstances"], "database")
        ok = (
            db["Engine"] == "postgres"
            and db["DBInstanceClass"] == "db.t3.micro"
            and db["BackupRetentionPeriod"] == 7
            and db["StorageEncrypted"]
            and not db["PubliclyAccessible"]
        )
        return ok, (
            f"{db['Engine']} {db['EngineVersion']} {db['DBInstanceClass']}, backups "
            f"{db['BackupRetentionPeriod']} days, encrypted {db['StorageEncrypted']}, "
            f"public {db['PubliclyAccessible']}"
        )

    def sessions() -> tuple[bool, str]:
        dynamodb = aws("dynamodb")
        table = _only(dynamodb.list_tables()["TableNames"], "session table")
        ttl = dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
        return ttl.get(
            "TimeToLiveStatus"
        ) == "ENABLED", f"{table}, TTL on {ttl.get('AttributeName')}"

    def product_images() -> tuple[bool, str]:
        efs = aws("efs")
        fs = _only(efs.describe_file_systems()["FileSystems"], "file system")
        targets = efs.describe_mount_targets(FileSystemId=fs["FileSystemId"])["MountTargets"]
        return fs["Encrypted"] and len(targets) >= 2, f"encrypted, {len(targets)} mount targets"

    def log_retention() -> tuple[bool, str]:
        groups = aws("logs").describe_log_groups()["logGroups"]
        retentions = {g.get("retentionInDays") for g in groups}
        return bool(groups) and retentions == {
            7
        }, f"{len(groups)} log groups, retention {retentions}"

    def alarms() -> tuple[bool, str]:
        metric_alarms = aws("cloudwatch").describe_alarms()["MetricAlarms"]
        cpu = [a for a in metric_alarms if a.get("MetricName") == "CPUUtilization"]
        namespaces = {a["Namespace"] for a in cpu}
        wired = all(
            a["AlarmActions"] and a["AlarmActions"][0].startswith("arn:aws:sns") for a in cpu
        )
        return {"AWS/EC2", "AWS/RDS"} <= namespaces and wired, (
            f"{len(metric_alarms)} alarms; CPU alarms on {sorted(namespaces)} notify SNS: {wired}"
        )

    check("VPC with public, app and data subnets in 2+ AZs", vpc_and_subnets)
    check("NAT gateway for private outbound traffic", nat_gateway)
    check("Network ACLs per tier", nacls)
    check("Web servers: ASG 1-2 of t3.micro, detailed monitoring, IMDSv2", web_fleet)
    check("Scale out on CPU above 70 %", scaling_policy)
    check("Application Load Balancer in the public subnets", load_balancer)
    check("Bastion t3.micro, SSH only from operator ranges", bastion)
    check("RDS PostgreSQL db.t3.micro, 7-day backups, encrypted, private", database)
    check("DynamoDB session table with TTL", sessions)
    check("EFS for product images, encrypted, one mount target per AZ", product_images)
    check("CloudWatch log retention 7 days everywhere", log_retention)
    check("CPU alarms for EC2 and RDS notify SNS", alarms)
    return checks
