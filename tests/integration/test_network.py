"""Network foundation, read back from the emulated account: VPC, subnet tiers, routes,
network ACLs, security groups, flow logs, gateway endpoints and the platform KMS key.

Terraform outputs only say *which* resources to look at (VPC, tier CIDRs, group IDs);
every fact asserted here comes from the EC2, Logs and KMS APIs, so a module that
outputs one thing and builds another fails.
"""

from __future__ import annotations

import ipaddress

import pytest

pytestmark = pytest.mark.integration

TIERS = ("public", "app", "data")
EPHEMERAL = (1024, 65535)
ANYWHERE = "0.0.0.0/0"
TCP = ("6", "tcp")
LOG_RETENTION_DAYS = 7


# --- fixtures: what the outputs point at, described by AWS ---------------------------


@pytest.fixture(scope="module")
def ec2(aws):
    return aws("ec2")


@pytest.fixture(scope="module")
def vpc_id(tf_outputs) -> str:
    return tf_outputs["network"]["vpc_id"]


@pytest.fixture(scope="module")
def tier_subnets(ec2, tf_outputs) -> dict[str, list[dict]]:
    """Each tier's subnets as EC2 describes them, in the outputs' AZ order."""
    result = {}
    for tier in TIERS:
        ids = tf_outputs["network"][f"{tier}_subnet_ids"]
        described = {s["SubnetId"]: s for s in ec2.describe_subnets(SubnetIds=ids)["Subnets"]}
        result[tier] = [described[i] for i in ids]
    return result


@pytest.fixture(scope="module")
def tier_cidrs(tf_outputs) -> dict[str, str]:
    return tf_outputs["network"]["tier_cidr_blocks"]


@pytest.fixture(scope="module")
def admin_cidrs(tf_outputs) -> set[str]:
    return set(tf_outputs["network"]["admin_cidr_blocks"])


@pytest.fixture(scope="module")
def route_tables(ec2, vpc_id) -> dict[str, dict]:
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
    return {t["RouteTableId"]: t for t in tables["RouteTables"]}


def table_of_subnet(route_tables: dict[str, dict], subnet_id: str) -> dict:
    tables = [
        t
        for t in route_tables.values()
        if any(a.get("SubnetId") == subnet_id for a in t.get("Associations", []))
    ]
    assert len(tables) == 1, f"{subnet_id} must be explicitly associated with one route table"
    return tables[0]


def default_routes(table: dict) -> list[dict]:
    return [r for r in table["Routes"] if r.get("DestinationCidrBlock") == ANYWHERE]


def acl_entries(ec2, acl_id: str) -> set[tuple]:
    """(direction, rule number, from port, to port, CIDR) of every allow rule; anything
    else (a deny, another protocol) fails the test right here."""
    acl = ec2.describe_network_acls(NetworkAclIds=[acl_id])["NetworkAcls"][0]
    entries = set()
    for e in acl["Entries"]:
        if e["RuleNumber"] == 32767:  # AWS's fixed final deny-all rule
            assert e["RuleAction"] == "deny"
            continue
        assert e["RuleAction"] == "allow", f"unexpected deny rule in {acl_id}: {e}"
        assert e["Protocol"] in TCP, f"non-TCP rule in {acl_id}: {e}"
        direction = "out" if e["Egress"] else "in"
        ports = e["PortRange"]
        entries.add((direction, e["RuleNumber"], ports["From"], ports["To"], e["CidrBlock"]))
    return entries


def group_rules(ec2, group_id: str, egress: bool) -> list[dict]:
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group_id]}])
    return [r for r in rules["SecurityGroupRules"] if r["IsEgress"] is egress]


def peer(rule: dict) -> str:
    if "ReferencedGroupInfo" in rule:
        return rule["ReferencedGroupInfo"]["GroupId"]
    return rule.get("CidrIpv4") or rule.get("CidrIpv6") or rule.get("PrefixListId")


# --- VPC and subnets -----------------------------------------------------------------


def test_vpc_resolves_dns_names(ec2, vpc_id):
    support = ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsSupport")
    hostnames = ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")
    assert support["EnableDnsSupport"]["Value"] is True
    assert hostnames["EnableDnsHostnames"]["Value"] is True


@pytest.mark.parametrize("tier", TIERS)
def test_each_tier_has_two_subnets_in_distinct_azs_inside_its_cidr(
    tier, tier_subnets, tier_cidrs, vpc_id, tf_outputs
):
    subnets = tier_subnets[tier]
    assert len(subnets) == 2
    assert [s["AvailabilityZone"] for s in subnets] == tf_outputs["network"]["availability_zones"]
    assert len({s["AvailabilityZone"] for s in subnets}) == 2
    block = ipaddress.ip_network(tier_cidrs[tier])
    for s in subnets:
        assert s["VpcId"] == vpc_id
        assert ipaddress.ip_network(s["CidrBlock"]).subnet_of(block)
        # Nothing gets a public IP unless it asks for one (bastion, public web servers).
        assert s["MapPublicIpOnLaunch"] is False


def test_tiers_do_not_overlap(tier_cidrs, tf_outputs):
    vpc = ipaddress.ip_network(tf_outputs["network"]["vpc_cidr_block"])
    blocks = [ipaddress.ip_network(tier_cidrs[t]) for t in TIERS]
    assert all(b.subnet_of(vpc) for b in blocks)
    assert not any(a.overlaps(b) for i, a in enumerate(blocks) for b in blocks[i + 1 :])


# --- routing -------------------------------------------------------------------------


def test_public_subnets_route_to_the_internet_gateway(ec2, vpc_id, tier_subnets, route_tables):
    igws = ec2.describe_internet_gateways(
        Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}]
    )["InternetGateways"]
    assert len(igws) == 1
    for subnet in tier_subnets["public"]:
        routes = default_routes(table_of_subnet(route_tables, subnet["SubnetId"]))
        assert [r.get("GatewayId") for r in routes] == [igws[0]["InternetGatewayId"]]


def test_app_subnets_route_to_a_nat_gateway_in_a_public_subnet(
    ec2, tier_subnets, route_tables, tf_outputs
):
    nats = ec2.describe_nat_gateways(NatGatewayIds=tf_outputs["network"]["nat_gateway_ids"])[
        "NatGateways"
    ]
    # One shared NAT gateway (cost, the default outside production) or one per AZ (HA).
    per_az = len(nats) > 1
    assert len(nats) in (1, len(tf_outputs["network"]["availability_zones"]))
    public_az = {s["SubnetId"]: s["AvailabilityZone"] for s in tier_subnets["public"]}
    nat_az = {}
    for nat in nats:
        assert nat["SubnetId"] in public_az
        assert nat["NatGatewayAddresses"][0].get("AllocationId"), "NAT needs an Elastic IP"
        nat_az[nat["NatGatewayId"]] = public_az[nat["SubnetId"]]
    for subnet in tier_subnets["app"]:
        routes = default_routes(table_of_subnet(route_tables, subnet["SubnetId"]))
        assert len(routes) == 1
        assert routes[0].get("NatGatewayId") in nat_az
        if per_az:
            assert nat_az[routes[0]["NatGatewayId"]] == subnet["AvailabilityZone"]


def test_data_subnets_have_no_route_out_of_the_vpc(tier_subnets, route_tables, tf_outputs):
    vpc_cidr = tf_outputs["network"]["vpc_cidr_block"]
    for subnet in tier_subnets["data"]:
        table = table_of_subnet(route_tables, subnet["SubnetId"])
        for route in table["Routes"]:
            if "DestinationPrefixListId" in route:
                # Only the S3/DynamoDB gateway endpoints, which stay on the AWS network.
                assert route["GatewayId"].startswith("vpce-"), route
            else:
                assert route["DestinationCidrBlock"] == vpc_cidr, route
                assert route["GatewayId"] == "local", route


def test_s3_and_dynamodb_gateway_endpoints_serve_every_tier(
    ec2, vpc_id, tier_subnets, route_tables
):
    endpoints = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])[
        "VpcEndpoints"
    ]
    by_service = {e["ServiceName"].rsplit(".", 1)[1]: e for e in endpoints}
    assert set(by_service) == {"s3", "dynamodb"}
    tier_tables = {
        table_of_subnet(route_tables, s["SubnetId"])["RouteTableId"]
        for tier in TIERS
        for s in tier_subnets[tier]
    }
    for endpoint in by_service.values():
        assert endpoint["VpcEndpointType"] == "Gateway"
        assert set(endpoint["RouteTableIds"]) == tier_tables


# --- network ACLs --------------------------------------------------------------------


def expected_acl_entries(tier: str, cidrs: dict[str, str], admins: set[str], web_public: bool):
    public, app, data = cidrs["public"], cidrs["app"], cidrs["data"]
    low, high = EPHEMERAL
    table = {
        "public": {
            ("in", 100, 80, 80, ANYWHERE),
            ("in", 110, 443, 443, ANYWHERE),
            ("in", 140, low, high, ANYWHERE),
            ("out", 100, 80, 80, ANYWHERE),
            ("out", 110, 443, 443, ANYWHERE),
            ("out", 120, 5432, 5432, data),
            ("out", 140, low, high, ANYWHERE),
        }
        | {("in", 200 + i, 22, 22, c) for i, c in enumerate(sorted(admins))},
        "app": {
            ("in", 100, 80, 80, public),
            ("in", 110, 443, 443, public),
            ("in", 140, low, high, ANYWHERE),
            ("out", 100, 80, 80, ANYWHERE),
            ("out", 110, 443, 443, ANYWHERE),
            ("out", 120, 5432, 5432, data),
            ("out", 130, 2049, 2049, data),
            ("out", 140, low, high, public),
        },
        "data": {
            ("in", 100, 5432, 5432, app),
            ("in", 110, 5432, 5432, public),
            ("in", 120, 2049, 2049, app),
            ("out", 100, low, high, app),
            ("out", 110, low, high, public),
        },
    }
    if web_public:
        table["public"].add(("out", 130, 2049, 2049, data))
        table["data"].add(("in", 130, 2049, 2049, public))
    return table[tier]


def without_numbers(entries: set[tuple]) -> set[tuple]:
    # SSH rule numbers follow the input's order, which sets do not keep.
    return {(d, f, t, c) for d, _, f, t, c in entries}


@pytest.mark.parametrize("tier", TIERS)
def test_network_acl_of_each_tier_allows_exactly_the_platforms_traffic(
    tier, ec2, tf_outputs, tier_cidrs, admin_cidrs
):
    web_public = tf_outputs["web"]["placement"] == "public"
    actual = acl_entries(ec2, tf_outputs["network"]["network_acl_ids"][tier])
    expected = expected_acl_entries(tier, tier_cidrs, admin_cidrs, web_public)
    assert without_numbers(actual) == without_numbers(expected)
    assert len(actual) == len(expected)


@pytest.mark.parametrize("tier", TIERS)
def test_every_subnet_uses_its_tiers_network_acl(ec2, tier, tier_subnets, tf_outputs):
    acl = ec2.describe_network_acls(NetworkAclIds=[tf_outputs["network"]["network_acl_ids"][tier]])
    associated = {a["SubnetId"] for a in acl["NetworkAcls"][0]["Associations"]}
    assert associated == {s["SubnetId"] for s in tier_subnets[tier]}


def test_data_tier_accepts_postgres_only_from_app_and_public_tiers(ec2, tf_outputs, tier_cidrs):
    entries = acl_entries(ec2, tf_outputs["network"]["network_acl_ids"]["data"])
    postgres_sources = {c for d, _, f, t, c in entries if d == "in" and f <= 5432 <= t}
    assert postgres_sources == {tier_cidrs["app"], tier_cidrs["public"]}
    assert not any(c == ANYWHERE for d, _, _, _, c in entries), "data tier open to 0.0.0.0/0"


def test_ssh_reaches_the_public_tier_only_from_admin_cidrs(ec2, tf_outputs, admin_cidrs):
    for tier in TIERS:
        entries = acl_entries(ec2, tf_outputs["network"]["network_acl_ids"][tier])
        ssh_sources = {c for d, _, f, t, c in entries if d == "in" and f <= 22 <= t}
        assert ssh_sources == (admin_cidrs if tier == "public" else set())
    assert ANYWHERE not in admin_cidrs


def test_default_network_acl_and_security_group_allow_nothing(ec2, vpc_id):
    default_acl = ec2.describe_network_acls(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "default", "Values": ["true"]},
        ]
    )["NetworkAcls"]
    assert len(default_acl) == 1
    assert [e for e in default_acl[0]["Entries"] if e["RuleAction"] == "allow"] == []
    assert default_acl[0]["Associations"] == []

    default_sg = ec2.describe_security_groups(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "group-name", "Values": ["default"]},
        ]
    )["SecurityGroups"]
    assert len(default_sg) == 1
    assert default_sg[0]["IpPermissions"] == []
    assert default_sg[0]["IpPermissionsEgress"] == []


# --- security groups -----------------------------------------------------------------


def test_bastion_accepts_ssh_only_from_admin_cidrs(ec2, tf_outputs, admin_cidrs):
    rules = group_rules(ec2, tf_outputs["security_group_ids"]["bastion"], egress=False)
    assert {(r["IpProtocol"], r["FromPort"], r["ToPort"]) for r in rules} <= {("tcp", 22, 22)}
    assert {peer(r) for r in rules} == admin_cidrs
    assert len(rules) == len(admin_cidrs)


def test_web_servers_accept_http_and_https_only_from_the_load_balancer(ec2, tf_outputs):
    rules = group_rules(ec2, tf_outputs["security_group_ids"]["web"], egress=False)
    alb = tf_outputs["security_group_ids"]["alb"]
    assert {(r["FromPort"], r["ToPort"], peer(r)) for r in rules} == {
        (80, 80, alb),
        (443, 443, alb),
    }
    assert len(rules) == 2


def test_load_balancer_accepts_http_and_https_from_the_internet_and_only_talks_to_web(
    ec2, tf_outputs
):
    alb = tf_outputs["security_group_ids"]["alb"]
    web = tf_outputs["security_group_ids"]["web"]
    ingress = group_rules(ec2, alb, egress=False)
    assert {(r["FromPort"], r["ToPort"], peer(r)) for r in ingress} == {
        (80, 80, ANYWHERE),
        (443, 443, ANYWHERE),
    }
    egress = group_rules(ec2, alb, egress=True)
    assert {(r["FromPort"], r["ToPort"], peer(r)) for r in egress} == {
        (80, 80, web),
        (443, 443, web),
    }


def test_database_accepts_postgres_only_from_web_and_bastion_and_sends_nothing(ec2, tf_outputs):
    database = tf_outputs["security_group_ids"]["database"]
    ingress = group_rules(ec2, database, egress=False)
    assert {(r["FromPort"], r["ToPort"], peer(r)) for r in ingress} == {
        (5432, 5432, tf_outputs["security_group_ids"]["web"]),
        (5432, 5432, tf_outputs["security_group_ids"]["bastion"]),
    }
    assert group_rules(ec2, database, egress=True) == []


def test_file_system_accepts_nfs_only_from_web_servers(ec2, tf_outputs):
    efs = tf_outputs["security_group_ids"]["efs"]
    ingress = group_rules(ec2, efs, egress=False)
    assert [(r["FromPort"], r["ToPort"], peer(r)) for r in ingress] == [
        (2049, 2049, tf_outputs["security_group_ids"]["web"])
    ]
    assert group_rules(ec2, efs, egress=True) == []


def test_only_the_load_balancer_is_open_to_the_internet(ec2, vpc_id, tf_outputs):
    groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
    open_to_internet = {
        g["GroupId"]
        for g in groups["SecurityGroups"]
        for p in g["IpPermissions"]
        for r in p.get("IpRanges", [])
        if r["CidrIp"] == ANYWHERE
    }
    assert open_to_internet == {tf_outputs["security_group_ids"]["alb"]}


def test_every_security_group_rule_says_why_it_exists(ec2, tf_outputs):
    roles = ("alb", "web", "bastion", "database", "efs")
    for role in roles:
        group = tf_outputs["security_group_ids"][role]
        for egress in (False, True):
            for rule in group_rules(ec2, group, egress):
                assert rule.get("Description"), f"{role} rule without description: {rule}"


# --- flow logs -----------------------------------------------------------------------


def test_vpc_flow_logs_capture_all_traffic_into_the_log_group(aws, ec2, vpc_id, tf_outputs):
    flow_logs = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])[
        "FlowLogs"
    ]
    assert len(flow_logs) == 1
    flow_log = flow_logs[0]
    assert flow_log["TrafficType"] == "ALL"
    assert flow_log["LogDestinationType"] == "cloud-watch-logs"
    name = tf_outputs["network"]["flow_log_group_name"]
    groups = aws("logs").describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    group_arn = next(g["arn"] for g in groups if g["logGroupName"] == name)
    assert flow_log["LogDestination"] == group_arn.removesuffix(":*")
    # The service could write with the role into the group.
    assert flow_log["DeliverLogsStatus"] == "SUCCESS", flow_log.get("DeliverLogsErrorMessage")
    role_name = flow_log["DeliverLogsPermissionArn"].rsplit("/", 1)[1]
    assert (
        aws("iam").get_role(RoleName=role_name)["Role"]["Arn"]
        == flow_log["DeliverLogsPermissionArn"]
    )


def test_flow_log_group_keeps_one_week_encrypted_with_the_platform_key(aws, tf_outputs):
    name = tf_outputs["network"]["flow_log_group_name"]
    groups = aws("logs").describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    group = next(g for g in groups if g["logGroupName"] == name)
    assert group["retentionInDays"] == LOG_RETENTION_DAYS
    assert group["kmsKeyId"] == tf_outputs["encryption"]["key_arn"]


# --- the platform key ----------------------------------------------------------------


def test_platform_kms_key_is_customer_managed_and_rotates(aws, tf_outputs):
    kms = aws("kms")
    key = kms.describe_key(KeyId=tf_outputs["encryption"]["key_arn"])["KeyMetadata"]
    assert key["KeyManager"] == "CUSTOMER"
    assert key["KeyState"] == "Enabled"
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is True
    aliases = kms.list_aliases(KeyId=key["KeyId"])["Aliases"]
    assert [a["AliasName"] for a in aliases] == [tf_outputs["encryption"]["alias_name"]]
