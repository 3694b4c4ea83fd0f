"""moto compatibility fixes for elbv2 work and are still needed."""

from __future__ import annotations


def test_elbv2_load_balancer_scheme_defaults_to_internet_facing(emulator_for):
    variant, client = emulator_for("elbv2_default_scheme")
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"eu-west-1{az}")[
            "Subnet"
        ]["SubnetId"]
        for i, az in enumerate("ab")
    ]
    elbv2 = client("elbv2")
    created = elbv2.create_load_balancer(Name="web", Subnets=subnets, Type="application")
    arn = created["LoadBalancers"][0]["LoadBalancerArn"]
    (described,) = elbv2.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"]
    if variant == "patched":
        assert described["Scheme"] == "internet-facing"
    else:
        assert "Scheme" not in described
