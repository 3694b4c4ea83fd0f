# Shared product images: one encrypted EFS file system mounted by every web server
# through an access point, reachable only over TLS and only by the web role.

resource "aws_efs_file_system" "this" {
  creation_token = "${var.name}-product-images"
  encrypted      = true
  kms_key_id     = var.kms_key_arn

  performance_mode = "generalPurpose"
  # Elastic by default: billed per GB actually read/written, and never throttled by
  # an empty burst-credit balance, which a small file system (a few GiB of images,
  # tiny baseline) would otherwise hit after a cache-cold traffic spike.
  throughput_mode = var.throughput_mode

  # Images not read for 30 days move to Infrequent Access (about a twentieth of the
  # Standard price per GB-month); one read brings a file back to Standard, so
  # popular images stay fast.
  lifecycle_policy {
    transition_to_ia = "AFTER_30_DAYS"
  }
  lifecycle_policy {
    transition_to_primary_storage_class = "AFTER_1_ACCESS"
  }

  tags = {
    Name = "${var.name}-product-images"
  }
}

# One mount target per AZ, keyed by AZ: adding an AZ never replaces the others.
resource "aws_efs_mount_target" "this" {
  for_each = var.subnet_ids_by_az

  file_system_id  = aws_efs_file_system.this.id
  subnet_id       = each.value
  security_groups = var.security_group_ids
}

# The only door the web servers use: every file is created as the app user and
# everything lives under /product-images, whatever the client's local uid.
resource "aws_efs_access_point" "this" {
  file_system_id = aws_efs_file_system.this.id

  posix_user {
    uid = var.posix_uid
    gid = var.posix_gid
  }

  root_directory {
    path = "/product-images"

    # EFS creates the directory on first mount with this owner and mode.
    creation_info {
      owner_uid   = var.posix_uid
      owner_gid   = var.posix_gid
      permissions = "0755"
    }
  }

  tags = {
    Name = "${var.name}-product-images"
  }
}

# Daily AWS Backup of the file system (35-day default plan of the account's vault).
resource "aws_efs_backup_policy" "this" {
  file_system_id = aws_efs_file_system.this.id

  backup_policy {
    status = "ENABLED"
  }
}

resource "aws_efs_file_system_policy" "this" {
  file_system_id = aws_efs_file_system.this.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # Nothing reaches the file system unencrypted (clients mount with -o tls).
        Sid       = "DenyNonTlsAccess"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "*"
        Resource  = aws_efs_file_system.this.arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        # The web servers' role may mount and write, only through the access point
        # and a mount target (mount -o tls,iam,accesspoint=<id>). ClientRootAccess is
        # not granted: root on a client is squashed, so a compromised host cannot
        # take over files it does not own.
        Sid       = "AllowWebRoleThroughAccessPoint"
        Effect    = "Allow"
        Principal = { AWS = var.web_role_arn }
        Action    = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
        Resource  = aws_efs_file_system.this.arn
        Condition = {
          StringEquals = { "elasticfilesystem:AccessPointArn" = aws_efs_access_point.this.arn }
          Bool         = { "elasticfilesystem:AccessedViaMountTarget" = "true" }
        }
      },
    ]
  })
}
