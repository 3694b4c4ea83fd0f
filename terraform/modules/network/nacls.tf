# Network ACLs: a second, subnet-level fence behind the security groups. They allow
# exactly the platform's flows and nothing else. NACLs are stateless, so every flow
# needs two rules: the request on its service port and the reply on the client's
# ephemeral port (1024-65535 covers Linux clients, the load balancer and the NAT
# gateway, which all pick source ports in that range). Traffic to the VPC's DNS
# resolver, instance metadata and time sync is never filtered by NACLs.
#
# Rule numbers go in steps of 10 to leave room; SSH rules take 200-209, one per
# admin CIDR. What is not listed is denied by the implicit final rule.

locals {
  anywhere    = "0.0.0.0/0"
  tier_blocks = local.tier_cidr_blocks

  # One row per rule: "<tier>-<in|out>-<number>-<what>" => rule. Read it as a table.
  base_nacl_rules = {
    # Public tier: load balancer, bastion, NAT gateways.
    "public-in-100-http-from-internet"  = { tier = "public", egress = false, rule_number = 100, from_port = 80, to_port = 80, cidr_block = local.anywhere }
    "public-in-110-https-from-internet" = { tier = "public", egress = false, rule_number = 110, from_port = 443, to_port = 443, cidr_block = local.anywhere }
    # (80/443 from anywhere also admits the app tier's requests to the NAT gateways.)
    # Replies to the bastion's and NAT'ed outbound requests, and to the load
    # balancer's requests to the web servers. The security groups, stateful, still
    # refuse new connections to these ports.
    "public-in-140-ephemeral-from-anywhere" = { tier = "public", egress = false, rule_number = 140, from_port = 1024, to_port = 65535, cidr_block = local.anywhere }
    # 80/443 to anywhere covers the NAT gateways forwarding the app tier's requests,
    # the bastion's package and SSM traffic, and the load balancer reaching the web
    # servers in the app tier (or in the public tier).
    "public-out-100-http-to-anywhere"  = { tier = "public", egress = true, rule_number = 100, from_port = 80, to_port = 80, cidr_block = local.anywhere }
    "public-out-110-https-to-anywhere" = { tier = "public", egress = true, rule_number = 110, from_port = 443, to_port = 443, cidr_block = local.anywhere }
    "public-out-120-postgres-to-data"  = { tier = "public", egress = true, rule_number = 120, from_port = 5432, to_port = 5432, cidr_block = local.tier_blocks.data }
    # Replies to internet clients of the load balancer and of the bastion's SSH, and
    # the NAT gateways' replies to the app tier.
    "public-out-140-ephemeral-to-anywhere" = { tier = "public", egress = true, rule_number = 140, from_port = 1024, to_port = 65535, cidr_block = local.anywhere }

    # App tier: web servers behind the load balancer.
    "app-in-100-http-from-public"  = { tier = "app", egress = false, rule_number = 100, from_port = 80, to_port = 80, cidr_block = local.tier_blocks.public }
    "app-in-110-https-from-public" = { tier = "app", egress = false, rule_number = 110, from_port = 443, to_port = 443, cidr_block = local.tier_blocks.public }
    # Replies from the internet (through the NAT gateway, which keeps the remote
    # address as source), from S3/DynamoDB endpoints and from the data tier.
    "app-in-140-ephemeral-from-anywhere" = { tier = "app", egress = false, rule_number = 140, from_port = 1024, to_port = 65535, cidr_block = local.anywhere }
    "app-out-100-http-to-anywhere"       = { tier = "app", egress = true, rule_number = 100, from_port = 80, to_port = 80, cidr_block = local.anywhere }
    "app-out-110-https-to-anywhere"      = { tier = "app", egress = true, rule_number = 110, from_port = 443, to_port = 443, cidr_block = local.anywhere }
    "app-out-120-postgres-to-data"       = { tier = "app", egress = true, rule_number = 120, from_port = 5432, to_port = 5432, cidr_block = local.tier_blocks.data }
    "app-out-130-nfs-to-data"            = { tier = "app", egress = true, rule_number = 130, from_port = 2049, to_port = 2049, cidr_block = local.tier_blocks.data }
    # Replies to the load balancer only: nothing else opens connections to the app tier.
    "app-out-140-ephemeral-to-public" = { tier = "app", egress = true, rule_number = 140, from_port = 1024, to_port = 65535, cidr_block = local.tier_blocks.public }

    # Data tier: PostgreSQL and EFS mount targets. Inside the VPC only.
    "data-in-100-postgres-from-app"    = { tier = "data", egress = false, rule_number = 100, from_port = 5432, to_port = 5432, cidr_block = local.tier_blocks.app }
    "data-in-110-postgres-from-public" = { tier = "data", egress = false, rule_number = 110, from_port = 5432, to_port = 5432, cidr_block = local.tier_blocks.public }
    "data-in-120-nfs-from-app"         = { tier = "data", egress = false, rule_number = 120, from_port = 2049, to_port = 2049, cidr_block = local.tier_blocks.app }
    "data-out-100-ephemeral-to-app"    = { tier = "data", egress = true, rule_number = 100, from_port = 1024, to_port = 65535, cidr_block = local.tier_blocks.app }
    "data-out-110-ephemeral-to-public" = { tier = "data", egress = true, rule_number = 110, from_port = 1024, to_port = 65535, cidr_block = local.tier_blocks.public }
  }

  # Web servers in the public tier mount the file system from there (PostgreSQL from
  # the public tier is already allowed for the bastion).
  public_web_nacl_rules = var.web_subnet_tier != "public" ? {} : {
    "public-out-130-nfs-to-data"  = { tier = "public", egress = true, rule_number = 130, from_port = 2049, to_port = 2049, cidr_block = local.tier_blocks.data }
    "data-in-130-nfs-from-public" = { tier = "data", egress = false, rule_number = 130, from_port = 2049, to_port = 2049, cidr_block = local.tier_blocks.public }
  }

  # SSH to the bastion, one rule per operator range.
  ssh_nacl_rules = {
    for i, cidr in var.admin_cidr_blocks : "public-in-${200 + i}-ssh-from-admin-${cidr}" => {
      tier = "public", egress = false, rule_number = 200 + i, from_port = 22, to_port = 22, cidr_block = cidr
    }
  }

  nacl_rules = merge(local.base_nacl_rules, local.public_web_nacl_rules, local.ssh_nacl_rules)
}

resource "aws_network_acl" "this" {
  for_each = {
    public = [for az in local.azs : aws_subnet.public[az].id]
    app    = [for az in local.azs : aws_subnet.app[az].id]
    data   = [for az in local.azs : aws_subnet.data[az].id]
  }

  vpc_id     = aws_vpc.this.id
  subnet_ids = each.value

  tags = {
    Name = "${var.name}-${each.key}"
  }
}

resource "aws_network_acl_rule" "this" {
  # checkov:skip=CKV_AWS_231: Only the ephemeral-port rules (1024-65535) admit 0.0.0.0/0 on a range that includes 3389; they carry replies to outbound connections through the NAT gateway, whose remote ends can be anywhere. Nothing listens on 3389 (no Windows hosts) and the stateful security groups refuse new connections on these ports.
  for_each = local.nacl_rules

  network_acl_id = aws_network_acl.this[each.value.tier].id
  egress         = each.value.egress
  rule_number    = each.value.rule_number
  rule_action    = "allow"
  protocol       = "tcp"
  from_port      = each.value.from_port
  to_port        = each.value.to_port
  cidr_block     = each.value.cidr_block
}
