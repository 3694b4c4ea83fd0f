# The platform's VPC: three subnet tiers in every AZ, one route table design per tier.
#
#   public  - load balancer, bastion, NAT gateways (and the web servers when
#             web_subnet_tier = "public"): default route to the internet gateway.
#   app     - web servers: default route to a NAT gateway, nothing reaches them from
#             the internet directly.
#   data    - database and file system: no route out of the VPC at all (only the
#             local route and the S3/DynamoDB gateway endpoints). Nothing in this tier
#             needs the internet, so a compromised or misconfigured data store cannot
#             exfiltrate to, or be reached from, it.

data "aws_availability_zones" "available" {
  # checkov:skip=CKV_AWS_394: Only read when availability_zones is empty; the first az_count zone names in sorted order are taken and everything is keyed by zone name, so a zone AWS adds later is never picked up. Pin zones with the availability_zones input.
  count = length(var.availability_zones) == 0 ? 1 : 0

  # Regular zones only: Local Zones and Wavelength Zones lack most services we use.
  # No state filter on purpose: a zone that is impaired during a plan must not
  # vanish from the list, or Terraform would plan to move that zone's subnets.
  filter {
    name   = "zone-type"
    values = ["availability-zone"]
  }
}

locals {
  region_azs = length(var.availability_zones) > 0 ? [] : sort(data.aws_availability_zones.available[0].names)
  # The zones in use, in order; everything per AZ below is keyed by zone name so
  # adding a third zone never renumbers the first two.
  azs      = length(var.availability_zones) > 0 ? var.availability_zones : slice(local.region_azs, 0, min(var.az_count, length(local.region_azs)))
  az_index = { for i, az in local.azs : az => i }

  # Address plan: the VPC is cut into four equal tier blocks (public, app, data, one
  # spare for later), each tier block into four AZ subnets. A tier is then one CIDR
  # (e.g. 10.20.64.0/18 for app in a /16), which keeps the network ACLs to one rule
  # per tier and port instead of one per subnet.
  tier_cidr_blocks = {
    public = cidrsubnet(var.vpc_cidr, 2, 0)
    app    = cidrsubnet(var.vpc_cidr, 2, 1)
    data   = cidrsubnet(var.vpc_cidr, 2, 2)
  }
  subnet_cidr_blocks = {
    for tier, block in local.tier_cidr_blocks : tier => {
      for az, i in local.az_index : az => cidrsubnet(block, 2, i)
    }
  }

  # One NAT gateway in the first AZ (cost) or one in every AZ (availability).
  nat_azs = var.nat_gateway_per_az ? local.azs : [local.azs[0]]
  # The NAT gateway each AZ's app subnet routes through.
  nat_az_for = { for az in local.azs : az => (var.nat_gateway_per_az ? az : local.azs[0]) }
}

resource "aws_vpc" "this" {
  cidr_block = var.vpc_cidr
  # Both are needed for private DNS of interface endpoints and for EFS mount-target
  # names (fs-xxxx.efs.<region>.amazonaws.com) to resolve inside the VPC.
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = var.name
  }

  lifecycle {
    precondition {
      condition     = length(local.azs) == var.az_count
      error_message = "The region offers fewer than az_count availability zones without opt-in; lower az_count or list availability_zones."
    }
  }
}

# The VPC's default security group allows all traffic between its members. Nothing
# should use it; adopting it with no rules makes any accidental use fail closed.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id

  tags = {
    Name = "${var.name}-default-unused"
  }
}

# Same for the default network ACL (allow all): every subnet below is associated with
# its tier's ACL, so the default one only ever catches subnets created outside this
# module, and for those it denies everything until they are given a proper ACL.
resource "aws_default_network_acl" "this" {
  default_network_acl_id = aws_vpc.this.default_network_acl_id

  tags = {
    Name = "${var.name}-default-unused"
  }
}

resource "aws_subnet" "public" {
  for_each = local.az_index

  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = local.subnet_cidr_blocks.public[each.key]
  # No automatic public IPs: only what must be reachable from the internet gets one,
  # and asks for it explicitly (the bastion; web servers when placed public). NAT
  # gateways use their own Elastic IPs and the load balancer manages its own.
  map_public_ip_on_launch = false

  tags = {
    Name = "${var.name}-public-${each.key}"
  }
}

resource "aws_subnet" "app" {
  for_each = local.az_index

  vpc_id                  = aws_vpc.this.id
  availability_zone       = each.key
  cidr_block              = local.subnet_cidr_blocks.app[each.key]
  map_public_ip_on_launch = false

  tags = {
    Name = "${var.name}-app-${each.key}"
  }
}

resource "aws_subnet" "data" {
  for_each = local.az_index

  vpc_id                  = aws_vpc.this.id
  availability_zone       = each.key
  cidr_block              = local.subnet_cidr_blocks.data[each.key]
  map_public_ip_on_launch = false

  tags = {
    Name = "${var.name}-data-${each.key}"
  }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id

  tags = {
    Name = var.name
  }
}

resource "aws_eip" "nat" {
  for_each = { for az in local.nat_azs : az => az }

  domain = "vpc"

  tags = {
    Name = "${var.name}-nat-${each.key}"
  }

  # An EIP in a VPC needs the internet gateway attached first.
  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  # One per Elastic IP, i.e. per entry of local.nat_azs.
  for_each = aws_eip.nat

  allocation_id = each.value.id
  subnet_id     = aws_subnet.public[each.key].id

  tags = {
    Name = "${var.name}-${each.key}"
  }

  depends_on = [aws_internet_gateway.this]
}

# --- Routing -----------------------------------------------------------------------

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  tags = {
    Name = "${var.name}-public"
  }
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route_table_association" "public" {
  for_each = aws_subnet.public

  subnet_id      = each.value.id
  route_table_id = aws_route_table.public.id
}

# One app route table per AZ so each can point at its own AZ's NAT gateway when
# nat_gateway_per_az is on; switching it on then changes routes, not tables.
resource "aws_route_table" "app" {
  for_each = local.az_index

  vpc_id = aws_vpc.this.id

  tags = {
    Name = "${var.name}-app-${each.key}"
  }
}

resource "aws_route" "app_internet_via_nat" {
  for_each = local.az_index

  route_table_id         = aws_route_table.app[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[local.nat_az_for[each.key]].id
}

resource "aws_route_table_association" "app" {
  for_each = aws_subnet.app

  subnet_id      = each.value.id
  route_table_id = aws_route_table.app[each.key].id
}

# Deliberately no default route: the data tier (RDS, EFS mount targets) answers
# connections from inside the VPC and never starts one to the internet.
resource "aws_route_table" "data" {
  vpc_id = aws_vpc.this.id

  tags = {
    Name = "${var.name}-data"
  }
}

resource "aws_route_table_association" "data" {
  for_each = aws_subnet.data

  subnet_id      = each.value.id
  route_table_id = aws_route_table.data.id
}

# --- Gateway endpoints ---------------------------------------------------------------

# S3 (static assets, package repositories hosted on S3) and DynamoDB (sessions) are
# reached through free gateway endpoints instead of the NAT gateway: no NAT data
# charge and the traffic stays on the AWS network. Every tier's route tables get them
# (the bastion and public-placed web servers use S3 too). The endpoint policy stays
# AWS's default (full access): IAM policies scope who may do what, and a narrower
# endpoint policy would break access to AWS-owned buckets such as the Amazon Linux
# package repositories.
resource "aws_vpc_endpoint" "gateway" {
  for_each = toset(["s3", "dynamodb"])

  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${var.region}.${each.key}"
  vpc_endpoint_type = "Gateway"
  route_table_ids = concat(
    [aws_route_table.public.id, aws_route_table.data.id],
    [for az in local.azs : aws_route_table.app[az].id],
  )

  tags = {
    Name = "${var.name}-${each.key}"
  }
}
