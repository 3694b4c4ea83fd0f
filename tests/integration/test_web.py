"""Web tier and bastion, read back from the emulated account (issue #3).

Each test is named for the requirement it proves. Resources are looked up through
their own AWS APIs by the ids Terraform reports, and the settings that matter are
checked on what AWS returns, not on what Terraform says it sent.
"""

from __future__ import annotations

import base64
import json

import pytest

CPU_TARGET_PERCENT = 70.0


# --- the resources under test ---------------------------------------------------------


@pytest.fixture(scope="module")
def web_group(aws, tf_outputs) -> dict:
    name = tf_outputs["web"]["autoscaling_group_name"]
    groups = aws("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[name])
    assert len(groups["AutoScalingGroups"]) == 1, f"Auto Scaling Group {name} not found"
    return groups["AutoScalingGroups"][0]


@pytest.fixture(scope="module")
def launch_template_data(aws, tf_outputs, web_group) -> dict:
    # The version the group actually runs, not merely the template's default.
    spec = web_group["LaunchTemplate"]
    assert spec["LaunchTemplateId"] == tf_outputs["web"]["launch_template_id"]
    versions = aws("ec2").describe_launch_template_versions(
        LaunchTemplateId=spec["LaunchTemplateId"], Versions=[spec["Version"]]
    )["LaunchTemplateVersions"]
    assert len(versions) == 1, f"launch template version {spec['Version']} not found"
    return versions[0]["LaunchTemplateData"]


@pytest.fixture(scope="module")
def load_balancer(aws, tf_outputs) -> dict:
    balancers = aws("elbv2").describe_load_balancers(
        LoadBalancerArns=[tf_outputs["load_balancer"]["arn"]]
    )
    return balancers["LoadBalancers"][0]


@pytest.fixture(scope="module")
def listeners(aws, load_balancer) -> dict[int, dict]:
    found = aws("elbv2").describe_listeners(LoadBalancerArn=load_balancer["LoadBalancerArn"])
    return {listener["Port"]: listener for listener in found["Listeners"]}


@pytest.fixture(scope="module")
def bastion(aws, tf_outputs) -> dict:
    reservations = aws("ec2").describe_instances(InstanceIds=[tf_outputs["bastion"]["instance_id"]])
    return reservations["Reservations"][0]["Instances"][0]


def routes_to_internet_gateway(aws, subnet_id: str, vpc_id: str) -> bool:
    """Whether the subnet's route table (explicit, else the VPC's main one) has an IGW route."""
    ec2 = aws("ec2")
    tables = ec2.describe_route_tables(
        Filters=[{"Name": "association.subnet-id", "Values": [subnet_id]}]
    )["RouteTables"]
    if not tables:
        tables = ec2.describe_route_tables(
            Filters=[
                {"Name": "vpc-id", "Values": [vpc_id]},
                {"Name": "association.main", "Values": ["true"]},
            ]
        )["RouteTables"]
    return any(
        route.get("GatewayId", "").startswith("igw-")
        and route.get("DestinationCidrBlock") == "0.0.0.0/0"
        for table in tables
        for route in table["Routes"]
    )


# --- web servers: launch template -------------------------------------------------------


def test_web_servers_are_t3_micro(launch_template_data):
    assert launch_template_data["InstanceType"] == "t3.micro"


def test_web_servers_have_detailed_monitoring(launch_template_data):
    assert launch_template_data["Monitoring"]["Enabled"] is True


def test_web_servers_require_imdsv2_with_hop_limit_1(launch_template_data):
    metadata = launch_template_data["MetadataOptions"]
    assert metadata["HttpTokens"] == "required"
    assert metadata["HttpPutResponseHopLimit"] == 1
    assert metadata.get("HttpEndpoint", "enabled") == "enabled"


def test_web_servers_root_volume_is_encrypted_gp3(launch_template_data):
    volumes = launch_template_data["BlockDeviceMappings"]
    assert volumes, "the launch template defines no root volume"
    for volume in volumes:
        assert volume["Ebs"]["Encrypted"] is True
        assert volume["Ebs"]["VolumeType"] == "gp3"


def test_web_servers_have_no_ssh_key_and_an_instance_profile(launch_template_data):
    assert "KeyName" not in launch_template_data
    profile = launch_template_data["IamInstanceProfile"]
    assert profile.get("Arn") or profile.get("Name")


def test_web_servers_in_private_placement_get_no_public_ip(launch_template_data, tf_outputs):
    interface = launch_template_data["NetworkInterfaces"][0]
    expected = tf_outputs["web"]["placement"] == "public"
    assert bool(interface.get("AssociatePublicIpAddress", False)) is expected
    assert interface["Groups"] == [tf_outputs["security_group_ids"]["web"]]


def test_web_user_data_mounts_efs_over_tls_and_serves_health(launch_template_data):
    script = base64.b64decode(launch_template_data["UserData"]).decode()
    assert "tls,iam,accesspoint=fsap-" in script
    assert "location = /healthz" in script
    assert "amazon-cloudwatch-agent-ctl" in script
    assert "shop-app.service" in script


# --- web servers: Auto Scaling Group -------------------------------------------------


def test_web_group_runs_one_to_two_instances(web_group):
    assert web_group["MinSize"] == 1
    assert web_group["MaxSize"] == 2
    assert 1 <= web_group["DesiredCapacity"] <= 2


def test_web_group_spans_the_app_subnets_of_every_az(web_group, tf_outputs):
    subnets = set(web_group["VPCZoneIdentifier"].split(","))
    tier = "app" if tf_outputs["web"]["placement"] == "private" else "public"
    expected = tf_outputs["network"][f"{tier}_subnet_ids"]
    assert subnets == set(expected)
    assert len(subnets) >= 2, "the web tier must span at least two availability zones"


def test_web_group_private_subnets_have_no_internet_gateway_route(aws, web_group, tf_outputs):
    if tf_outputs["web"]["placement"] != "private":
        pytest.skip("web servers are placed in public subnets in this environment")
    for subnet in web_group["VPCZoneIdentifier"].split(","):
        assert not routes_to_internet_gateway(aws, subnet, tf_outputs["network"]["vpc_id"]), subnet


def test_web_group_registers_in_the_target_group(web_group, tf_outputs):
    assert web_group["TargetGroupARNs"] == [tf_outputs["load_balancer"]["target_group_arn"]]


def test_web_group_uses_elb_health_checks_with_grace_period(web_group):
    assert web_group["HealthCheckType"] == "ELB"
    assert web_group["HealthCheckGracePeriod"] > 0


def test_web_group_publishes_group_metrics(web_group):
    metrics = {metric["Metric"] for metric in web_group.get("EnabledMetrics", [])}
    assert {"GroupInServiceInstances", "GroupDesiredCapacity"} <= metrics


def test_web_group_scales_out_above_70_percent_average_cpu(aws, web_group):
    policies = aws("autoscaling").describe_policies(
        AutoScalingGroupName=web_group["AutoScalingGroupName"]
    )["ScalingPolicies"]
    tracking = [p for p in policies if p["PolicyType"] == "TargetTrackingScaling"]
    assert len(tracking) == 1, f"expected one target tracking policy, found {policies}"
    configuration = tracking[0]["TargetTrackingConfiguration"]
    assert (
        configuration["PredefinedMetricSpecification"]["PredefinedMetricType"]
        == "ASGAverageCPUUtilization"
    )
    assert configuration["TargetValue"] == CPU_TARGET_PERCENT
    assert configuration.get("DisableScaleIn", False) is False


def test_web_instance_role_can_use_session_manager(aws, tf_outputs):
    attached = aws("iam").list_attached_role_policies(
        RoleName=tf_outputs["web"]["instance_role_name"]
    )
    names = {policy["PolicyName"] for policy in attached["AttachedPolicies"]}
    assert names == {"AmazonSSMManagedInstanceCore"}


def test_web_log_groups_keep_one_week_encrypted(aws, tf_outputs):
    logs = aws("logs")
    for name in tf_outputs["web"]["log_group_names"].values():
        groups = logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
        group = next(g for g in groups if g["logGroupName"] == name)
        assert group["retentionInDays"] == 7, name
        assert group.get("kmsKeyId"), f"{name} is not KMS encrypted"


def test_web_cloudwatch_agent_config_ships_logs_and_memory(aws, tf_outputs):
    value = aws("ssm").get_parameter(Name=tf_outputs["web"]["cloudwatch_agent_parameter_name"])
    config = json.loads(value["Parameter"]["Value"])
    files = config["logs"]["logs_collected"]["files"]["collect_list"]
    shipped = {entry["log_group_name"] for entry in files}
    assert shipped == set(tf_outputs["web"]["log_group_names"].values())
    assert config["metrics"]["namespace"] == "CWAgent"
    assert "mem" in config["metrics"]["metrics_collected"]


# --- load balancer ------------------------------------------------------------------------


def test_alb_is_internet_facing_in_the_public_subnets(load_balancer, tf_outputs):
    assert load_balancer["Scheme"] == "internet-facing"
    subnets = {zone["SubnetId"] for zone in load_balancer["AvailabilityZones"]}
    assert subnets == set(tf_outputs["network"]["public_subnet_ids"])
    assert load_balancer["SecurityGroups"] == [tf_outputs["security_group_ids"]["alb"]]


def test_alb_drops_invalid_headers_and_logs_access(aws, load_balancer, tf_outputs):
    attributes = {
        a["Key"]: a["Value"]
        for a in aws("elbv2").describe_load_balancer_attributes(
            LoadBalancerArn=load_balancer["LoadBalancerArn"]
        )["Attributes"]
    }
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert attributes["access_logs.s3.enabled"] == "true"
    assert (
        attributes["access_logs.s3.bucket"] == tf_outputs["load_balancer"]["access_log_bucket_name"]
    )


def test_alb_http_listener_forwards_or_redirects_to_https(listeners, tf_outputs):
    assert 80 in listeners, "no HTTP listener on port 80"
    action = listeners[80]["DefaultActions"][0]
    if 443 in listeners:
        assert action["Type"] == "redirect"
        assert action["RedirectConfig"]["Protocol"] == "HTTPS"
        assert action["RedirectConfig"]["StatusCode"] == "HTTP_301"
        assert listeners[443]["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    else:
        assert action["Type"] == "forward"
        assert action["TargetGroupArn"] == tf_outputs["load_balancer"]["target_group_arn"]


def test_alb_target_group_checks_the_health_endpoint(aws, tf_outputs):
    group = aws("elbv2").describe_target_groups(
        TargetGroupArns=[tf_outputs["load_balancer"]["target_group_arn"]]
    )["TargetGroups"][0]
    assert group["HealthCheckPath"] == "/healthz"
    assert group["Matcher"]["HttpCode"] == "200"
    assert group["Port"] == 80


def test_alb_access_log_bucket_is_private(aws, tf_outputs):
    block = aws("s3").get_public_access_block(
        Bucket=tf_outputs["load_balancer"]["access_log_bucket_name"]
    )
    assert all(block["PublicAccessBlockConfiguration"].values())


# --- bastion ---------------------------------------------------------------------------------


def test_bastion_is_t3_micro(bastion):
    assert bastion["InstanceType"] == "t3.micro"


def test_bastion_runs_in_a_public_subnet(aws, bastion, tf_outputs):
    assert bastion["SubnetId"] in tf_outputs["network"]["public_subnet_ids"]
    assert routes_to_internet_gateway(aws, bastion["SubnetId"], tf_outputs["network"]["vpc_id"])


def test_bastion_requires_imdsv2_and_has_detailed_monitoring(bastion):
    assert bastion["MetadataOptions"]["HttpTokens"] == "required"
    assert bastion["Monitoring"]["State"] in {"enabled", "pending"}


def test_bastion_has_an_elastic_ip(aws, bastion, tf_outputs):
    addresses = aws("ec2").describe_addresses(
        Filters=[{"Name": "instance-id", "Values": [bastion["InstanceId"]]}]
    )["Addresses"]
    assert len(addresses) == 1
    assert addresses[0]["Domain"] == "vpc"
    assert addresses[0]["PublicIp"] == tf_outputs["bastion"]["public_ip"]


def test_bastion_ssh_is_open_only_to_the_admin_cidrs(aws, bastion, tf_outputs):
    group_ids = {group["GroupId"] for group in bastion["NetworkInterfaces"][0]["Groups"]}
    assert group_ids == {tf_outputs["security_group_ids"]["bastion"]}
    group = aws("ec2").describe_security_groups(GroupIds=list(group_ids))["SecurityGroups"][0]
    admin = set(tf_outputs["network"]["admin_cidr_blocks"])
    opened: set[str] = set()
    for permission in group["IpPermissions"]:
        assert permission["IpProtocol"] == "tcp", permission
        assert permission["FromPort"] == permission["ToPort"] == 22, permission
        assert not permission.get("Ipv6Ranges"), permission
        assert not permission.get("UserIdGroupPairs"), permission
        opened |= {r["CidrIp"] for r in permission.get("IpRanges", [])}
    assert opened == admin


def test_bastion_role_has_only_session_manager(aws, bastion):
    profile_arn = bastion["IamInstanceProfile"]["Arn"]
    profile_name = profile_arn.rsplit("/", 1)[1]
    roles = aws("iam").get_instance_profile(InstanceProfileName=profile_name)["InstanceProfile"][
        "Roles"
    ]
    assert len(roles) == 1
    iam = aws("iam")
    attached = iam.list_attached_role_policies(RoleName=roles[0]["RoleName"])["AttachedPolicies"]
    assert {p["PolicyName"] for p in attached} == {"AmazonSSMManagedInstanceCore"}
    assert iam.list_role_policies(RoleName=roles[0]["RoleName"])["PolicyNames"] == []
