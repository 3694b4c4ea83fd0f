# Tests with a mocked AWS provider (apply runs get generated IDs): no account, no
# network. They check the address plan, routing, network ACL table, flow logs and input validation.

mock_provider "aws" {
  # Data sources come from the shared mocks (terraform/tests/mocks; the path is
  # relative to the module directory); only this module's own values are below.
  source = "../../tests/mocks"

  # Mocked attributes are random strings; ARNs the provider validates need real shapes.
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/shop-test-vpc-flow-logs"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc/shop-test/flow-logs"
    }
  }
}

variables {
  name              = "shop-test"
  region            = "eu-west-1"
  vpc_cidr          = "10.20.0.0/16"
  admin_cidr_blocks = ["203.0.113.0/24"]
  kms_key_arn       = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

run "two_azs_by_default_with_a_subnet_per_tier_in_each" {
  command = apply

  assert {
    condition     = output.availability_zones == tolist(["eu-west-1a", "eu-west-1b"])
    error_message = "Two AZs by default, taken in the region's order."
  }

  assert {
    condition     = length(aws_subnet.public) == 2 && length(aws_subnet.app) == 2 && length(aws_subnet.data) == 2
    error_message = "Each tier must have one subnet per AZ (2)."
  }

  assert {
    condition     = toset([for s in aws_subnet.data : s.availability_zone]) == toset(["eu-west-1a", "eu-west-1b"])
    error_message = "Data subnets must be spread over both AZs."
  }

  assert {
    condition     = aws_vpc.this.enable_dns_support && aws_vpc.this.enable_dns_hostnames
    error_message = "DNS support and hostnames must be on."
  }
}

run "address_plan_is_one_block_per_tier" {
  command = apply

  assert {
    condition = local.tier_cidr_blocks == {
      public = "10.20.0.0/18"
      app    = "10.20.64.0/18"
      data   = "10.20.128.0/18"
    }
    error_message = "Tier blocks must be the first three quarters of the VPC."
  }

  assert {
    condition     = aws_subnet.public["eu-west-1a"].cidr_block == "10.20.0.0/20" && aws_subnet.app["eu-west-1b"].cidr_block == "10.20.80.0/20" && aws_subnet.data["eu-west-1a"].cidr_block == "10.20.128.0/20"
    error_message = "Subnets must be the AZ's /20 inside their tier block."
  }
}

run "no_public_ips_on_launch" {
  command = apply

  assert {
    condition     = alltrue([for s in concat(values(aws_subnet.public), values(aws_subnet.app), values(aws_subnet.data)) : !s.map_public_ip_on_launch])
    error_message = "No subnet may hand out public IPs automatically."
  }
}

run "three_azs" {
  command = apply

  variables {
    az_count = 3
  }

  assert {
    condition     = length(aws_subnet.public) == 3 && length(aws_subnet.app) == 3 && length(aws_subnet.data) == 3
    error_message = "Each tier must have one subnet per AZ (3)."
  }

  assert {
    condition     = length(aws_route_table.app) == 3 && length(aws_route_table_association.data) == 3
    error_message = "Every app subnet gets its AZ's route table; every data subnet is associated."
  }
}

run "explicit_availability_zones_are_used_in_order" {
  command = apply

  variables {
    availability_zones = ["eu-west-1c", "eu-west-1a"]
  }

  assert {
    condition     = output.availability_zones == tolist(["eu-west-1c", "eu-west-1a"]) && aws_subnet.app["eu-west-1c"].cidr_block == "10.20.64.0/20"
    error_message = "The listed zones must be used, the first one taking the first subnet of each tier."
  }
}

run "single_nat_gateway_by_default" {
  command = apply

  assert {
    condition     = length(aws_nat_gateway.this) == 1 && length(aws_eip.nat) == 1 && keys(aws_nat_gateway.this) == ["eu-west-1a"]
    error_message = "One NAT gateway, in the first AZ, by default."
  }

  assert {
    condition     = alltrue([for e in aws_eip.nat : e.domain == "vpc"])
    error_message = "NAT Elastic IPs must be VPC IPs."
  }

  assert {
    condition     = local.nat_az_for == { "eu-west-1a" = "eu-west-1a", "eu-west-1b" = "eu-west-1a" }
    error_message = "Every app route table must use the single NAT gateway."
  }
}

run "nat_gateway_per_az" {
  command = apply

  variables {
    az_count           = 3
    nat_gateway_per_az = true
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 3 && length(aws_eip.nat) == 3
    error_message = "One NAT gateway and EIP per AZ."
  }

  assert {
    condition     = alltrue([for az, r in aws_route.app_internet_via_nat : r.nat_gateway_id == aws_nat_gateway.this[az].id])
    error_message = "Each AZ's app route table must point at its own AZ's NAT gateway."
  }

  assert {
    condition     = alltrue([for az, nat in aws_nat_gateway.this : nat.subnet_id == aws_subnet.public[az].id])
    error_message = "Each NAT gateway must sit in its AZ's public subnet."
  }
}

run "routes_per_tier" {
  command = apply

  assert {
    condition     = aws_route.public_internet.destination_cidr_block == "0.0.0.0/0" && aws_route.public_internet.gateway_id == aws_internet_gateway.this.id
    error_message = "The public tier routes to the internet gateway."
  }

  assert {
    condition     = alltrue([for r in aws_route.app_internet_via_nat : r.destination_cidr_block == "0.0.0.0/0" && r.nat_gateway_id == aws_nat_gateway.this["eu-west-1a"].id])
    error_message = "The app tier routes to the NAT gateway."
  }

  assert {
    condition     = length(aws_route_table.data.route) == 0
    error_message = "The data route table must have no route of its own (no internet route)."
  }

  assert {
    condition = alltrue([for r in concat([aws_route.public_internet], values(aws_route.app_internet_via_nat)) :
    r.route_table_id != aws_route_table.data.id])
    error_message = "No default route may be placed in the data route table."
  }
}

run "gateway_endpoints_serve_every_tier" {
  command = apply

  assert {
    condition     = aws_vpc_endpoint.gateway["s3"].service_name == "com.amazonaws.eu-west-1.s3" && aws_vpc_endpoint.gateway["dynamodb"].service_name == "com.amazonaws.eu-west-1.dynamodb"
    error_message = "S3 and DynamoDB gateway endpoints of the region."
  }

  assert {
    condition     = alltrue([for ep in aws_vpc_endpoint.gateway : ep.vpc_endpoint_type == "Gateway" && length(ep.route_table_ids) == 4])
    error_message = "Both endpoints are gateways on the public, data and both app route tables."
  }
}

run "default_security_group_and_acl_are_locked_down" {
  command = apply

  assert {
    condition     = length(aws_default_security_group.this.ingress) == 0 && length(aws_default_security_group.this.egress) == 0
    error_message = "The default security group must have no rules."
  }

  assert {
    condition     = length(aws_default_network_acl.this.ingress) == 0 && length(aws_default_network_acl.this.egress) == 0
    error_message = "The default network ACL must have no rules (deny all)."
  }
}

run "data_tier_acl_allows_only_postgres_and_nfs_from_inside" {
  command = apply

  assert {
    condition = toset([for k, r in local.nacl_rules : "${r.from_port}-${r.to_port} from ${r.cidr_block}" if r.tier == "data" && !r.egress]) == toset([
      "5432-5432 from 10.20.64.0/18",
      "5432-5432 from 10.20.0.0/18",
      "2049-2049 from 10.20.64.0/18",
    ])
    error_message = "Data tier ingress: PostgreSQL from app and public tiers, NFS from the app tier, nothing else."
  }

  assert {
    condition = toset([for k, r in local.nacl_rules : "${r.from_port}-${r.to_port} to ${r.cidr_block}" if r.tier == "data" && r.egress]) == toset([
      "1024-65535 to 10.20.64.0/18",
      "1024-65535 to 10.20.0.0/18",
    ])
    error_message = "Data tier egress: only replies to the app and public tiers."
  }
}

run "app_tier_acl" {
  command = apply

  assert {
    condition = toset([for k, r in local.nacl_rules : "${r.from_port}-${r.to_port} from ${r.cidr_block}" if r.tier == "app" && !r.egress]) == toset([
      "80-80 from 10.20.0.0/18",
      "443-443 from 10.20.0.0/18",
      "1024-65535 from 0.0.0.0/0",
    ])
    error_message = "App tier ingress: HTTP/HTTPS from the public tier (load balancer) and replies."
  }

  assert {
    condition = toset([for k, r in local.nacl_rules : "${r.from_port}-${r.to_port} to ${r.cidr_block}" if r.tier == "app" && r.egress]) == toset([
      "80-80 to 0.0.0.0/0",
      "443-443 to 0.0.0.0/0",
      "5432-5432 to 10.20.128.0/18",
      "2049-2049 to 10.20.128.0/18",
      "1024-65535 to 10.20.0.0/18",
    ])
    error_message = "App tier egress: web via NAT, PostgreSQL and NFS to the data tier, replies to the public tier."
  }
}

run "public_tier_acl_allows_ssh_only_from_admin_ranges" {
  command = apply

  variables {
    admin_cidr_blocks = ["203.0.113.0/24", "198.51.100.7/32"]
  }

  assert {
    condition     = toset([for k, r in local.nacl_rules : r.cidr_block if r.tier == "public" && !r.egress && r.from_port <= 22 && r.to_port >= 22]) == toset(["203.0.113.0/24", "198.51.100.7/32"])
    error_message = "SSH into the public tier must be allowed from the admin CIDRs only."
  }

  assert {
    condition     = aws_network_acl_rule.this["public-in-200-ssh-from-admin-203.0.113.0/24"].rule_number == 200 && aws_network_acl_rule.this["public-in-201-ssh-from-admin-198.51.100.7/32"].rule_number == 201
    error_message = "SSH rules take numbers 200+."
  }

  assert {
    condition     = toset([for k, r in local.nacl_rules : r.from_port if r.tier == "public" && !r.egress && r.cidr_block == "0.0.0.0/0"]) == toset([80, 443, 1024])
    error_message = "From the internet the public tier admits only HTTP, HTTPS and replies."
  }
}

run "no_ssh_rule_without_admin_ranges" {
  command = apply

  variables {
    admin_cidr_blocks = []
  }

  assert {
    condition     = length([for k, r in local.nacl_rules : k if r.from_port <= 22 && r.to_port >= 22]) == 0
    error_message = "Without admin CIDRs no network ACL rule may allow port 22."
  }
}

run "acl_rule_numbers_are_unique_per_acl_and_direction" {
  command = apply

  variables {
    web_subnet_tier   = "public"
    admin_cidr_blocks = ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24"]
  }

  assert {
    condition     = length(distinct([for r in local.nacl_rules : "${r.tier}/${r.egress}/${r.rule_number}"])) == length(local.nacl_rules)
    error_message = "Two rules of one ACL and direction share a number."
  }
}

run "public_web_servers_may_reach_the_file_system" {
  command = apply

  variables {
    web_subnet_tier = "public"
  }

  assert {
    condition     = aws_network_acl_rule.this["data-in-130-nfs-from-public"].cidr_block == "10.20.0.0/18" && aws_network_acl_rule.this["public-out-130-nfs-to-data"].to_port == 2049
    error_message = "With web servers in the public tier, NFS must be allowed from the public tier to the data tier."
  }
}

run "private_web_servers_keep_nfs_out_of_the_public_tier" {
  command = apply

  assert {
    condition     = length([for k, r in local.nacl_rules : k if r.from_port == 2049 && (r.tier == "public" || r.cidr_block == "10.20.0.0/18")]) == 0
    error_message = "With private web servers, no NFS rule may involve the public tier."
  }
}

run "every_tier_has_its_own_acl" {
  command = apply

  assert {
    condition     = keys(aws_network_acl.this) == ["app", "data", "public"] && length(aws_network_acl.this["data"].subnet_ids) == 2
    error_message = "One ACL per tier, each associated with the tier's subnets."
  }
}

run "flow_logs_capture_all_traffic_for_a_week_encrypted" {
  command = apply

  assert {
    condition     = aws_flow_log.this.traffic_type == "ALL" && aws_flow_log.this.log_destination_type == "cloud-watch-logs"
    error_message = "Flow logs must capture ALL traffic into CloudWatch Logs."
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow_logs.name == "/aws/vpc/shop-test/flow-logs" && aws_cloudwatch_log_group.flow_logs.retention_in_days == 7
    error_message = "Flow log group /aws/vpc/<name>/flow-logs with 7 days retention."
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow_logs.kms_key_id == var.kms_key_arn
    error_message = "The flow log group must be encrypted with the given key."
  }
}

run "flow_log_role_is_scoped_to_its_log_group" {
  command = apply

  assert {
    condition = toset(flatten([for s in jsondecode(aws_iam_role_policy.flow_logs.policy).Statement : s.Resource])) == toset([
      "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc/shop-test/flow-logs",
      "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc/shop-test/flow-logs:*",
      "arn:aws:logs:eu-west-1:123456789012:log-group:*",
    ])
    error_message = "The flow log role may write to its log group only."
  }

  assert {
    condition     = jsondecode(aws_iam_role.flow_logs.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "The role's trust must be limited to this account's flow logs."
  }
}

# --- Bad inputs are rejected ------------------------------------------------------

run "rejects_malformed_vpc_cidr" {
  command = plan

  variables {
    vpc_cidr = "10.20.0.0/33"
  }

  expect_failures = [var.vpc_cidr]
}

run "rejects_vpc_cidr_that_is_not_a_network_address" {
  command = plan

  variables {
    vpc_cidr = "10.20.1.0/16"
  }

  expect_failures = [var.vpc_cidr]
}

run "rejects_vpc_cidr_too_small_for_the_subnets" {
  command = plan

  variables {
    vpc_cidr = "10.20.0.0/24"
  }

  expect_failures = [var.vpc_cidr]
}

run "rejects_az_count_1" {
  command = plan

  variables {
    az_count = 1
  }

  expect_failures = [var.az_count]
}

run "rejects_az_count_4" {
  command = plan

  variables {
    az_count = 4
  }

  expect_failures = [var.az_count]
}

run "rejects_zones_of_another_region" {
  command = plan

  variables {
    availability_zones = ["us-east-1a", "us-east-1b"]
  }

  expect_failures = [var.availability_zones]
}

run "rejects_zone_list_not_matching_az_count" {
  command = plan

  variables {
    availability_zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  }

  expect_failures = [var.availability_zones]
}

run "rejects_ssh_from_anywhere_without_the_force_flag" {
  command = plan

  variables {
    admin_cidr_blocks = ["0.0.0.0/0"]
  }

  expect_failures = [var.admin_cidr_blocks]
}

run "rejects_internet_sized_admin_ranges" {
  command = plan

  variables {
    admin_cidr_blocks = ["0.0.0.0/1", "128.0.0.0/1"]
  }

  expect_failures = [var.admin_cidr_blocks]
}

run "accepts_ssh_from_anywhere_with_the_force_flag" {
  command = apply

  variables {
    admin_cidr_blocks       = ["0.0.0.0/0"]
    allow_ssh_from_anywhere = true
  }

  assert {
    condition     = aws_network_acl_rule.this["public-in-200-ssh-from-admin-0.0.0.0/0"].cidr_block == "0.0.0.0/0"
    error_message = "The force flag must let 0.0.0.0/0 through."
  }
}

run "rejects_malformed_admin_cidr" {
  command = plan

  variables {
    admin_cidr_blocks = ["203.0.113.300/24"]
  }

  expect_failures = [var.admin_cidr_blocks]
}

run "rejects_admin_ip_without_prefix" {
  command = plan

  variables {
    admin_cidr_blocks = ["203.0.113.7"]
  }

  expect_failures = [var.admin_cidr_blocks]
}

run "rejects_bad_name" {
  command = plan

  variables {
    name = "Shop Test"
  }

  expect_failures = [var.name]
}

run "rejects_flow_log_retention_8" {
  command = plan

  variables {
    flow_log_retention_days = 8
  }

  expect_failures = [var.flow_log_retention_days]
}

run "rejects_unknown_web_subnet_tier" {
  command = plan

  variables {
    web_subnet_tier = "dmz"
  }

  expect_failures = [var.web_subnet_tier]
}

run "rejects_malformed_kms_key_arn" {
  command = plan

  variables {
    kms_key_arn = "alias/shop-test"
  }

  expect_failures = [var.kms_key_arn]
}
