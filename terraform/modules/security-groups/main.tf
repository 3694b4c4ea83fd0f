# Security groups of the platform, one per role, wired to each other by group ID
# rather than by CIDR: a rule such as "database accepts 5432 from web" keeps holding
# whatever addresses the web servers get, and nothing else in the subnet gets in.
#
#   internet --80/443--> alb --80/443--> web --5432--> database
#                                         \---2049--> efs
#   admins ----22-----> bastion --5432--> database
#
# Groups are created without inline rules; every rule is its own resource with a
# description, so adding or removing one never rewrites the others.

locals {
  groups = {
    alb      = "Public load balancer: HTTP/HTTPS from the internet, forwards to the web servers only."
    web      = "Web servers: HTTP/HTTPS from the load balancer only."
    bastion  = "Bastion host: SSH from the operators' ranges only."
    database = "PostgreSQL database: 5432 from the web servers and the bastion only."
    efs      = "Product images file system: NFS from the web servers only."
  }

  anywhere = "0.0.0.0/0"

  # Each row: the group it belongs to, the port, and the peer: another group of this
  # module (peer) or an IPv4 range (cidr).
  ingress_rules = merge(
    {
      # The VPC is IPv4-only, so the load balancer takes no ::/0 rules.
      "alb-http-from-internet"         = { group = "alb", port = 80, peer = null, cidr = local.anywhere, description = "HTTP from the internet (redirected to HTTPS when a certificate is set)" }
      "alb-https-from-internet"        = { group = "alb", port = 443, peer = null, cidr = local.anywhere, description = "HTTPS from the internet" }
      "web-http-from-alb"              = { group = "web", port = 80, peer = "alb", cidr = null, description = "HTTP and health checks from the load balancer" }
      "web-https-from-alb"             = { group = "web", port = 443, peer = "alb", cidr = null, description = "HTTPS from the load balancer" }
      "database-postgres-from-web"     = { group = "database", port = 5432, peer = "web", cidr = null, description = "PostgreSQL from the web servers" }
      "database-postgres-from-bastion" = { group = "database", port = 5432, peer = "bastion", cidr = null, description = "PostgreSQL from the bastion (operators' maintenance sessions)" }
      "efs-nfs-from-web"               = { group = "efs", port = 2049, peer = "web", cidr = null, description = "NFS from the web servers (product images)" }
    },
    {
      for cidr in var.admin_cidr_blocks : "bastion-ssh-from-${cidr}" => {
        group = "bastion", port = 22, peer = null, cidr = cidr, description = "SSH from operator range ${cidr}"
      }
    },
  )

  # The database and the file system only answer; they get no egress rule at all.
  egress_rules = {
    "alb-http-to-web"  = { group = "alb", port = 80, peer = "web", cidr = null, description = "HTTP and health checks to the web servers" }
    "alb-https-to-web" = { group = "alb", port = 443, peer = "web", cidr = null, description = "HTTPS to the web servers" }
    # Web servers fetch OS packages and call AWS APIs (SSM, CloudWatch, Secrets
    # Manager, S3 and DynamoDB through the gateway endpoints) whose addresses are
    # public and change; the NAT gateway and network ACLs bound where it can go.
    "web-http-to-internet"         = { group = "web", port = 80, peer = null, cidr = local.anywhere, description = "HTTP to package repositories through the NAT gateway" }
    "web-https-to-internet"        = { group = "web", port = 443, peer = null, cidr = local.anywhere, description = "HTTPS to AWS APIs and package repositories" }
    "web-postgres-to-database"     = { group = "web", port = 5432, peer = "database", cidr = null, description = "PostgreSQL to the database" }
    "web-nfs-to-efs"               = { group = "web", port = 2049, peer = "efs", cidr = null, description = "NFS to the product images file system" }
    "bastion-postgres-to-database" = { group = "bastion", port = 5432, peer = "database", cidr = null, description = "PostgreSQL to the database" }
    # Session Manager, package updates and AWS APIs; all HTTPS.
    "bastion-https-to-internet" = { group = "bastion", port = 443, peer = null, cidr = local.anywhere, description = "HTTPS to Session Manager, AWS APIs and package repositories" }
  }
}

resource "aws_security_group" "this" {
  # checkov:skip=CKV2_AWS_5: The groups are attached by the modules that own the resources (load-balancer, web, bastion, database, product-images), outside this module.
  for_each = local.groups

  # A prefix, not a fixed name: with create_before_destroy a replacement group is
  # created (and attached) before the old one is deleted, and both need a name.
  name_prefix = "${var.name}-${each.key}-"
  description = each.value
  vpc_id      = var.vpc_id

  tags = {
    Name = "${var.name}-${each.key}"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  # checkov:skip=CKV_AWS_260: Port 80 from 0.0.0.0/0 is opened only on the internet-facing load balancer, which serves (or redirects) HTTP to the public; every other group is reachable only from other groups or the admin ranges.
  for_each = local.ingress_rules

  security_group_id            = aws_security_group.this[each.value.group].id
  description                  = each.value.description
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  cidr_ipv4                    = each.value.cidr
  referenced_security_group_id = each.value.peer == null ? null : aws_security_group.this[each.value.peer].id

  tags = {
    Name = "${var.name}-${each.key}"
  }
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each = local.egress_rules

  security_group_id            = aws_security_group.this[each.value.group].id
  description                  = each.value.description
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  cidr_ipv4                    = each.value.cidr
  referenced_security_group_id = each.value.peer == null ? null : aws_security_group.this[each.value.peer].id

  tags = {
    Name = "${var.name}-${each.key}"
  }
}
