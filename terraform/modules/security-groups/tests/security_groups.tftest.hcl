# Tests with a mocked AWS provider (apply runs get generated IDs): no account, no
# network. They prove who may talk to whom, and that bad inputs are rejected.

mock_provider "aws" {
  # Shared mocks: terraform/tests/mocks (relative to the module directory).
  source = "../../tests/mocks"
}

variables {
  name              = "shop-test"
  vpc_id            = "vpc-0123456789abcdef0"
  admin_cidr_blocks = ["203.0.113.0/24", "198.51.100.7/32"]
}

run "one_group_per_role_replaced_safely" {
  command = apply

  assert {
    condition     = keys(aws_security_group.this) == ["alb", "bastion", "database", "efs", "web"]
    error_message = "One security group per role."
  }

  assert {
    condition     = alltrue([for sg in aws_security_group.this : startswith(sg.name_prefix, "shop-test-") && sg.description != "" && length(sg.ingress) == 0 && length(sg.egress) == 0])
    error_message = "Groups are name-prefixed, described and carry no inline rules."
  }
}

run "every_rule_has_a_description" {
  command = apply

  assert {
    condition     = alltrue([for r in concat(values(aws_vpc_security_group_ingress_rule.this), values(aws_vpc_security_group_egress_rule.this)) : length(r.description) > 10])
    error_message = "Every rule must say why it exists."
  }
}

run "load_balancer_is_the_only_group_open_to_the_internet" {
  command = apply

  assert {
    condition     = toset([for k, r in aws_vpc_security_group_ingress_rule.this : r.from_port if r.security_group_id == aws_security_group.this["alb"].id]) == toset([80, 443])
    error_message = "The load balancer takes 80 and 443."
  }

  assert {
    condition     = alltrue([for k, r in aws_vpc_security_group_ingress_rule.this : r.cidr_ipv4 == "0.0.0.0/0" if r.security_group_id == aws_security_group.this["alb"].id])
    error_message = "The load balancer takes its traffic from the internet."
  }

  assert {
    condition     = [for k, r in aws_vpc_security_group_ingress_rule.this : k if r.cidr_ipv4 == "0.0.0.0/0" && r.security_group_id != aws_security_group.this["alb"].id] == []
    error_message = "No other group may accept traffic from 0.0.0.0/0."
  }

  assert {
    condition     = alltrue([for k, r in aws_vpc_security_group_egress_rule.this : r.referenced_security_group_id == aws_security_group.this["web"].id && contains([80, 443], r.from_port) if r.security_group_id == aws_security_group.this["alb"].id])
    error_message = "The load balancer may only send 80/443 to the web servers."
  }
}

run "web_servers_take_http_and_https_from_the_load_balancer_only" {
  command = apply

  assert {
    condition = toset([for k, r in aws_vpc_security_group_ingress_rule.this : "${r.from_port}-${r.to_port}" if r.security_group_id == aws_security_group.this["web"].id]) == toset(["80-80", "443-443"]) && alltrue([
    for k, r in aws_vpc_security_group_ingress_rule.this : r.referenced_security_group_id == aws_security_group.this["alb"].id && r.cidr_ipv4 == null if r.security_group_id == aws_security_group.this["web"].id])
    error_message = "Web servers: 80 and 443 from the load balancer's group, nothing else."
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.this["web-postgres-to-database"].referenced_security_group_id == aws_security_group.this["database"].id && aws_vpc_security_group_egress_rule.this["web-nfs-to-efs"].referenced_security_group_id == aws_security_group.this["efs"].id
    error_message = "Web servers reach the database and the file system by group."
  }
}

run "bastion_takes_ssh_from_the_admin_ranges_only" {
  command = apply

  assert {
    condition     = toset([for k, r in aws_vpc_security_group_ingress_rule.this : r.cidr_ipv4 if r.security_group_id == aws_security_group.this["bastion"].id]) == toset(["203.0.113.0/24", "198.51.100.7/32"])
    error_message = "Bastion ingress must come from the admin CIDRs only."
  }

  assert {
    condition     = alltrue([for k, r in aws_vpc_security_group_ingress_rule.this : r.from_port == 22 && r.to_port == 22 && r.ip_protocol == "tcp" if r.security_group_id == aws_security_group.this["bastion"].id])
    error_message = "Bastion ingress is SSH only."
  }

  assert {
    condition     = toset([for k, r in aws_vpc_security_group_egress_rule.this : r.from_port if r.security_group_id == aws_security_group.this["bastion"].id]) == toset([5432, 443])
    error_message = "Bastion egress: PostgreSQL to the database and HTTPS."
  }
}

run "no_ssh_without_admin_ranges" {
  command = apply

  variables {
    admin_cidr_blocks = []
  }

  assert {
    condition     = [for k, r in aws_vpc_security_group_ingress_rule.this : k if r.from_port <= 22 && r.to_port >= 22] == []
    error_message = "Without admin CIDRs nothing may accept SSH."
  }
}

run "database_takes_postgres_from_web_and_bastion_only_and_sends_nothing" {
  command = apply

  assert {
    condition = toset([for k, r in aws_vpc_security_group_ingress_rule.this : r.referenced_security_group_id if r.security_group_id == aws_security_group.this["database"].id && r.from_port == 5432 && r.to_port == 5432]) == toset([
      aws_security_group.this["web"].id,
      aws_security_group.this["bastion"].id,
    ])
    error_message = "The database accepts 5432 from the web and bastion groups."
  }

  assert {
    condition     = length([for k, r in aws_vpc_security_group_ingress_rule.this : k if r.security_group_id == aws_security_group.this["database"].id]) == 2
    error_message = "The database has no other ingress rule."
  }

  assert {
    condition     = [for k, r in aws_vpc_security_group_egress_rule.this : k if contains([aws_security_group.this["database"].id, aws_security_group.this["efs"].id], r.security_group_id)] == []
    error_message = "The database and the file system have no egress rules."
  }
}

run "file_system_takes_nfs_from_web_only" {
  command = apply

  assert {
    condition = [for k, r in aws_vpc_security_group_ingress_rule.this : "${r.from_port}/${r.referenced_security_group_id}" if r.security_group_id == aws_security_group.this["efs"].id] == [
      "2049/${aws_security_group.this["web"].id}"
    ]
    error_message = "The file system accepts NFS from the web servers only."
  }
}

# --- Bad inputs are rejected ------------------------------------------------------

run "rejects_ssh_from_anywhere_without_the_force_flag" {
  command = plan

  variables {
    admin_cidr_blocks = ["0.0.0.0/0"]
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
    condition     = aws_vpc_security_group_ingress_rule.this["bastion-ssh-from-0.0.0.0/0"].cidr_ipv4 == "0.0.0.0/0"
    error_message = "The force flag must let 0.0.0.0/0 through."
  }
}

run "rejects_malformed_admin_cidr" {
  command = plan

  variables {
    admin_cidr_blocks = ["203.0.113.0/40"]
  }

  expect_failures = [var.admin_cidr_blocks]
}

run "rejects_too_many_admin_ranges" {
  command = plan

  variables {
    admin_cidr_blocks = [for i in range(11) : "10.0.${i}.0/24"]
  }

  expect_failures = [var.admin_cidr_blocks]
}

run "rejects_bad_vpc_id" {
  command = plan

  variables {
    vpc_id = "my-vpc"
  }

  expect_failures = [var.vpc_id]
}

run "rejects_bad_name" {
  command = plan

  variables {
    name = "-shop"
  }

  expect_failures = [var.name]
}
