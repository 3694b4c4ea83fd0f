# The deployer's permissions, one policy document per area. The documents are built
# as plain objects (not aws_iam_policy_document, like the encryption module's key
# policy) so the module's tests can read every statement back at plan time, and
# so the same JSON can go to the group here and to the pipeline's CodeBuild role.
#
# How each grant is scoped, best first:
#   1. names:  ARNs under <project>-<environment>-* (or the exact names the modules use)
#   2. tags:   aws:RequestTag/Project + Environment on create, aws:ResourceTag/... after,
#              where a service names its resources by generated ids (EC2, EFS, KMS)
#   3. "*":    only for Describe/List calls that have no resource-level permissions,
#              and then only in var.region (aws:RequestedRegion) for regional services

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition
  account   = data.aws_caller_identity.current.account_id

  # Resource name prefixes of the environments, e.g. ["shop-dev", "shop-prod"].
  names = [for env in var.environments : "${var.project}-${env}"]

  # ARN heads of the regional services.
  ec2  = "arn:${local.partition}:ec2:${var.region}:${local.account}"
  efs  = "arn:${local.partition}:elasticfilesystem:${var.region}:${local.account}"
  kms  = "arn:${local.partition}:kms:${var.region}:${local.account}"
  logs = "arn:${local.partition}:logs:${var.region}:${local.account}:log-group"

  # Provider default_tags of every environment root set Project and Environment.
  request_tags = {
    "aws:RequestTag/Project"     = var.project
    "aws:RequestTag/Environment" = var.environments
  }
  resource_tags = {
    "aws:ResourceTag/Project"     = var.project
    "aws:ResourceTag/Environment" = var.environments
  }
  in_region = { StringEquals = { "aws:RequestedRegion" = var.region } }

  # EC2 calls that create a taggable resource; CreateTags is allowed for these only
  # (tag on create), never to put the platform's tags on someone else's resource.
  ec2_create_actions = [
    "ec2:AllocateAddress",
    "ec2:AuthorizeSecurityGroupEgress",
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:CreateFlowLogs",
    "ec2:CreateInternetGateway",
    "ec2:CreateLaunchTemplate",
    "ec2:CreateNatGateway",
    "ec2:CreateNetworkAcl",
    "ec2:CreateRouteTable",
    "ec2:CreateSecurityGroup",
    "ec2:CreateSubnet",
    "ec2:CreateVpc",
    "ec2:CreateVpcEndpoint",
    "ec2:ImportKeyPair",
    "ec2:RunInstances",
  ]
}

locals {
  documents = {
    # Remote state: the S3 backend with S3-native locking (use_lockfile = true).
    # Keys are <environment>/terraform.tfstate, locks <key>.tflock beside them.
    state = {
      Version = "2012-10-17"
      Statement = [
        {
          Sid      = "StateBucketList"
          Effect   = "Allow"
          Action   = ["s3:ListBucket"]
          Resource = [var.state_bucket_arn]
          Condition = {
            StringLike = { "s3:prefix" = flatten([for env in var.environments : [env, "${env}/*"]]) }
          }
        },
        {
          Sid      = "StateObjectsReadWrite"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:PutObject"]
          Resource = [for env in var.environments : "${var.state_bucket_arn}/${env}/*"]
        },
        {
          Sid      = "StateLockRelease"
          Effect   = "Allow"
          Action   = ["s3:DeleteObject"]
          Resource = [for env in var.environments : "${var.state_bucket_arn}/${env}/*.tflock"]
        },
        {
          Sid      = "StateKey"
          Effect   = "Allow"
          Action   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
          Resource = [var.state_kms_key_arn]
        },
      ]
    }

    # EC2: VPC, subnets, gateways, routes, NACLs, security groups, endpoints, flow
    # logs, launch template, key pair, bastion instance. EC2 ids are generated, so
    # EC2 is scoped by tags within this account and region.
    ec2 = {
      Version = "2012-10-17"
      Statement = [
        {
          # Describe* has no resource-level permissions in EC2.
          Sid       = "Ec2Read"
          Effect    = "Allow"
          Action    = ["ec2:Describe*"]
          Resource  = ["*"]
          Condition = local.in_region
        },
        {
          # The new resource of each create call must carry the platform's tags.
          Sid       = "Ec2CreateTagged"
          Effect    = "Allow"
          Action    = local.ec2_create_actions
          Resource  = ["${local.ec2}:*"]
          Condition = { StringEquals = local.request_tags }
        },
        {
          Sid      = "Ec2TagOnCreate"
          Effect   = "Allow"
          Action   = ["ec2:CreateTags"]
          Resource = ["${local.ec2}:*"]
          Condition = {
            StringEquals = { "ec2:CreateAction" = [for a in local.ec2_create_actions : trimprefix(a, "ec2:")] }
          }
        },
        {
          # Existing platform resources: the parents a create call names (VPC,
          # subnet, security group ...) and every change and delete.
          Sid    = "Ec2ManageTagged"
          Effect = "Allow"
          Action = concat(local.ec2_create_actions, [
            "ec2:AssociateAddress",
            "ec2:AssociateIamInstanceProfile",
            "ec2:AssociateRouteTable",
            "ec2:AttachInternetGateway",
            "ec2:CreateNetworkAclEntry",
            "ec2:CreateNetworkInterface",
            "ec2:CreateRoute",
            "ec2:CreateTags",
            "ec2:CreateLaunchTemplateVersion",
            "ec2:DeleteFlowLogs",
            "ec2:DeleteInternetGateway",
            "ec2:DeleteKeyPair",
            "ec2:DeleteLaunchTemplate",
            "ec2:DeleteLaunchTemplateVersions",
            "ec2:DeleteNatGateway",
            "ec2:DeleteNetworkAcl",
            "ec2:DeleteNetworkAclEntry",
            "ec2:DeleteRoute",
            "ec2:DeleteRouteTable",
            "ec2:DeleteSecurityGroup",
            "ec2:DeleteSubnet",
            "ec2:DeleteTags",
            "ec2:DeleteVpc",
            "ec2:DeleteVpcEndpoints",
            "ec2:DetachInternetGateway",
            "ec2:DisassociateAddress",
            "ec2:DisassociateIamInstanceProfile",
            "ec2:DisassociateRouteTable",
            "ec2:ModifyInstanceAttribute",
            "ec2:ModifyInstanceMetadataOptions",
            "ec2:ModifyLaunchTemplate",
            "ec2:ModifySecurityGroupRules",
            "ec2:ModifySubnetAttribute",
            "ec2:ModifyVpcAttribute",
            "ec2:ModifyVpcEndpoint",
            "ec2:MonitorInstances",
            "ec2:ReleaseAddress",
            "ec2:ReplaceIamInstanceProfileAssociation",
            "ec2:ReplaceNetworkAclAssociation",
            "ec2:ReplaceNetworkAclEntry",
            "ec2:ReplaceRoute",
            "ec2:RevokeSecurityGroupEgress",
            "ec2:RevokeSecurityGroupIngress",
            "ec2:StartInstances",
            "ec2:StopInstances",
            "ec2:TerminateInstances",
            "ec2:UnmonitorInstances",
            "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
            "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
          ])
          Resource  = ["${local.ec2}:*"]
          Condition = { StringEquals = local.resource_tags }
        },
        {
          # AWS creates a VPC's default security group and network ACL untagged;
          # aws_default_security_group / aws_default_network_acl adopt them by
          # tagging them, then strip their rules. Only untagged groups and ACLs can
          # be claimed this way (see README: residual risk).
          Sid      = "Ec2AdoptDefaultSecurityGroupAndNacl"
          Effect   = "Allow"
          Action   = ["ec2:CreateTags"]
          Resource = ["${local.ec2}:security-group/*", "${local.ec2}:network-acl/*"]
          Condition = {
            StringEquals = local.request_tags
            Null         = { "aws:ResourceTag/Project" = "true" }
          }
        },
        {
          # Parts an instance launch or an EFS mount target creates untagged (root
          # volume, network interface) and the Elastic IP association of the
          # bastion's interface; the instance itself is tag-checked above.
          Sid      = "Ec2InstanceParts"
          Effect   = "Allow"
          Action   = ["ec2:AssociateAddress", "ec2:CreateNetworkInterface", "ec2:RunInstances"]
          Resource = ["${local.ec2}:network-interface/*", "${local.ec2}:volume/*"]
        },
        {
          # Images: Amazon's (the AL2023 public parameter) or this account's own.
          Sid       = "Ec2LaunchFromAmazonOrOwnImages"
          Effect    = "Allow"
          Action    = ["ec2:RunInstances"]
          Resource  = ["arn:${local.partition}:ec2:${var.region}::image/*"]
          Condition = { StringEquals = { "ec2:Owner" = ["amazon", local.account] } }
        },
      ]
    }

    # Auto Scaling, the load balancer and its optional WAF association: named
    # resources, scoped by name prefix.
    compute = {
      Version = "2012-10-17"
      Statement = [
        {
          # Describe* has no resource-level permissions in either service.
          Sid       = "AutoScalingAndLoadBalancingRead"
          Effect    = "Allow"
          Action    = ["autoscaling:Describe*", "elasticloadbalancing:Describe*"]
          Resource  = ["*"]
          Condition = local.in_region
        },
        {
          Sid    = "AutoScalingGroups"
          Effect = "Allow"
          Action = [
            "autoscaling:AttachLoadBalancerTargetGroups",
            "autoscaling:AttachTrafficSources",
            "autoscaling:CancelInstanceRefresh",
            "autoscaling:CreateAutoScalingGroup",
            "autoscaling:CreateOrUpdateTags",
            "autoscaling:DeleteAutoScalingGroup",
            "autoscaling:DeletePolicy",
            "autoscaling:DeleteTags",
            "autoscaling:DetachLoadBalancerTargetGroups",
            "autoscaling:DetachTrafficSources",
            "autoscaling:DisableMetricsCollection",
            "autoscaling:EnableMetricsCollection",
            "autoscaling:PutScalingPolicy",
            "autoscaling:StartInstanceRefresh",
            "autoscaling:UpdateAutoScalingGroup",
          ]
          Resource = [for n in local.names : "arn:${local.partition}:autoscaling:${var.region}:${local.account}:autoScalingGroup:*:autoScalingGroupName/${n}-*"]
        },
        {
          Sid    = "LoadBalancer"
          Effect = "Allow"
          Action = [
            "elasticloadbalancing:AddTags",
            "elasticloadbalancing:CreateListener",
            "elasticloadbalancing:CreateLoadBalancer",
            "elasticloadbalancing:CreateTargetGroup",
            "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:DeleteLoadBalancer",
            "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:ModifyListener",
            "elasticloadbalancing:ModifyLoadBalancerAttributes",
            "elasticloadbalancing:ModifyTargetGroup",
            "elasticloadbalancing:ModifyTargetGroupAttributes",
            "elasticloadbalancing:RemoveTags",
            "elasticloadbalancing:SetSecurityGroups",
            "elasticloadbalancing:SetSubnets",
            "elasticloadbalancing:SetWebAcl",
          ]
          Resource = flatten([for n in local.names : [
            "arn:${local.partition}:elasticloadbalancing:${var.region}:${local.account}:loadbalancer/app/${n}-*",
            "arn:${local.partition}:elasticloadbalancing:${var.region}:${local.account}:listener/app/${n}-*",
            "arn:${local.partition}:elasticloadbalancing:${var.region}:${local.account}:targetgroup/${n}-*",
          ]])
        },
        {
          # The web ACL is an input (not made here); the ALB side is name-scoped.
          Sid    = "LoadBalancerWebAcl"
          Effect = "Allow"
          Action = ["wafv2:AssociateWebACL", "wafv2:DisassociateWebACL", "wafv2:GetWebACLForResource"]
          Resource = concat(
            ["arn:${local.partition}:wafv2:${var.region}:${local.account}:regional/webacl/*/*"],
            [for n in local.names : "arn:${local.partition}:elasticloadbalancing:${var.region}:${local.account}:loadbalancer/app/${n}-*"],
          )
        },
      ]
    }

    # Database, sessions table, product images file system, the RDS-managed master
    # user secret.
    data = {
      Version = "2012-10-17"
      Statement = [
        {
          Sid    = "RdsInstanceAndGroups"
          Effect = "Allow"
          Action = [
            "rds:AddTagsToResource",
            "rds:CreateDBInstance",
            "rds:CreateDBParameterGroup",
            "rds:CreateDBSnapshot",
            "rds:CreateDBSubnetGroup",
            "rds:DeleteDBInstance",
            "rds:DeleteDBParameterGroup",
            "rds:DeleteDBSubnetGroup",
            "rds:DescribeDBInstances",
            "rds:DescribeDBParameterGroups",
            "rds:DescribeDBParameters",
            "rds:DescribeDBSnapshots",
            "rds:DescribeDBSubnetGroups",
            "rds:ListTagsForResource",
            "rds:ModifyDBInstance",
            "rds:ModifyDBParameterGroup",
            "rds:ModifyDBSubnetGroup",
            "rds:RebootDBInstance",
            "rds:RemoveTagsFromResource",
          ]
          Resource = concat(
            flatten([for n in local.names : [for type in ["db", "pg", "snapshot", "subgrp"] :
              "arn:${local.partition}:rds:${var.region}:${local.account}:${type}:${n}-*"
            ]]),
            # CreateDBInstance names the engine's default option group.
            ["arn:${local.partition}:rds:${var.region}:${local.account}:og:default:postgres-*"],
          )
        },
        {
          # Engine catalogue calls have no resource-level permissions.
          Sid       = "RdsCatalogRead"
          Effect    = "Allow"
          Action    = ["rds:DescribeDBEngineVersions", "rds:DescribeOrderableDBInstanceOptions"]
          Resource  = ["*"]
          Condition = local.in_region
        },
        {
          # manage_master_user_password: RDS creates, rotates and deletes the secret
          # with the caller's permissions. RDS names it rds!db-<id>. No
          # GetSecretValue: the deployer never reads the password.
          Sid    = "RdsManagedMasterSecret"
          Effect = "Allow"
          Action = [
            "secretsmanager:CreateSecret",
            "secretsmanager:DeleteSecret",
            "secretsmanager:DescribeSecret",
            "secretsmanager:RotateSecret",
            "secretsmanager:TagResource",
            "secretsmanager:UpdateSecret",
          ]
          Resource = ["arn:${local.partition}:secretsmanager:${var.region}:${local.account}:secret:rds!db-*"]
        },
        {
          Sid    = "SessionTable"
          Effect = "Allow"
          Action = [
            "dynamodb:CreateTable",
            "dynamodb:DeleteTable",
            "dynamodb:Describe*",
            "dynamodb:ListTagsOfResource",
            "dynamodb:TagResource",
            "dynamodb:UntagResource",
            "dynamodb:UpdateContinuousBackups",
            "dynamodb:UpdateTable",
            "dynamodb:UpdateTimeToLive",
          ]
          Resource = [for n in local.names : "arn:${local.partition}:dynamodb:${var.region}:${local.account}:table/${n}-*"]
        },
        {
          # EFS ids are generated: create only with the platform's tags ...
          Sid       = "EfsCreateTagged"
          Effect    = "Allow"
          Action    = ["elasticfilesystem:CreateAccessPoint", "elasticfilesystem:CreateFileSystem"]
          Resource  = ["${local.efs}:file-system/*", "${local.efs}:access-point/*"]
          Condition = { StringEquals = local.request_tags }
        },
        {
          Sid      = "EfsTagOnCreate"
          Effect   = "Allow"
          Action   = ["elasticfilesystem:TagResource"]
          Resource = ["${local.efs}:file-system/*", "${local.efs}:access-point/*"]
          Condition = {
            StringEquals = { "elasticfilesystem:CreateAction" = ["CreateAccessPoint", "CreateFileSystem"] }
          }
        },
        {
          # ... and change only what carries them.
          Sid    = "EfsManageTagged"
          Effect = "Allow"
          Action = [
            "elasticfilesystem:CreateAccessPoint",
            "elasticfilesystem:CreateMountTarget",
            "elasticfilesystem:DeleteAccessPoint",
            "elasticfilesystem:DeleteFileSystem",
            "elasticfilesystem:DeleteFileSystemPolicy",
            "elasticfilesystem:DeleteMountTarget",
            "elasticfilesystem:Describe*",
            "elasticfilesystem:ListTagsForResource",
            "elasticfilesystem:ModifyMountTargetSecurityGroups",
            "elasticfilesystem:PutBackupPolicy",
            "elasticfilesystem:PutFileSystemPolicy",
            "elasticfilesystem:PutLifecycleConfiguration",
            "elasticfilesystem:TagResource",
            "elasticfilesystem:UntagResource",
            "elasticfilesystem:UpdateFileSystem",
          ]
          Resource  = ["${local.efs}:file-system/*", "${local.efs}:access-point/*"]
          Condition = { StringEquals = local.resource_tags }
        },
        {
          # Static assets and ALB access log buckets: <name>-static-assets-<account>
          # and <name>-alb-<suffix>.
          Sid    = "Buckets"
          Effect = "Allow"
          Action = [
            "s3:CreateBucket",
            "s3:DeleteBucket",
            "s3:DeleteBucketPolicy",
            "s3:GetAccelerateConfiguration",
            "s3:GetBucket*",
            "s3:GetEncryptionConfiguration",
            "s3:GetLifecycleConfiguration",
            "s3:GetReplicationConfiguration",
            "s3:ListBucket",
            "s3:ListBucketVersions",
            "s3:PutBucketOwnershipControls",
            "s3:PutBucketPolicy",
            "s3:PutBucketPublicAccessBlock",
            "s3:PutBucketTagging",
            "s3:PutBucketVersioning",
            "s3:PutEncryptionConfiguration",
            "s3:PutLifecycleConfiguration",
          ]
          Resource = [for n in local.names : "arn:${local.partition}:s3:::${n}-*"]
        },
        {
          # Objects: the landing assets Terraform uploads, and emptying the buckets
          # on destroy where force_destroy is on.
          Sid    = "BucketObjects"
          Effect = "Allow"
          Action = [
            "s3:DeleteObject",
            "s3:DeleteObjectVersion",
            "s3:GetObject",
            "s3:GetObjectTagging",
            "s3:GetObjectVersion",
            "s3:PutObject",
            "s3:PutObjectTagging",
          ]
          Resource = [for n in local.names : "arn:${local.partition}:s3:::${n}-*/*"]
        },
      ]
    }

    # Logs, alarms, dashboard, alert topic, budget, SSM parameters.
    observability = {
      Version = "2012-10-17"
      Statement = [
        {
          Sid    = "LogGroups"
          Effect = "Allow"
          Action = [
            "logs:AssociateKmsKey",
            "logs:CreateLogGroup",
            "logs:DeleteLogGroup",
            "logs:DeleteRetentionPolicy",
            "logs:DisassociateKmsKey",
            "logs:ListTagsForResource",
            "logs:ListTagsLogGroup",
            "logs:PutRetentionPolicy",
            "logs:TagLogGroup",
            "logs:TagResource",
            "logs:UntagLogGroup",
            "logs:UntagResource",
          ]
          # /<name>/web/*, /aws/vpc/<name>/flow-logs, /aws/rds/instance/<name>-postgres/*
          Resource = flatten([for n in local.names : [
            "${local.logs}:/${n}/*",
            "${local.logs}:/aws/vpc/${n}/*",
            "${local.logs}:/aws/rds/instance/${n}-*",
          ]])
        },
        {
          # DescribeLogGroups authorizes the account's log-group:* only.
          Sid      = "LogGroupsRead"
          Effect   = "Allow"
          Action   = ["logs:DescribeLogGroups"]
          Resource = ["${local.logs}:*"]
        },
        {
          Sid    = "AlarmsAndDashboard"
          Effect = "Allow"
          Action = [
            "cloudwatch:DeleteAlarms",
            "cloudwatch:DeleteDashboards",
            "cloudwatch:DescribeAlarms",
            "cloudwatch:GetDashboard",
            "cloudwatch:ListTagsForResource",
            "cloudwatch:PutDashboard",
            "cloudwatch:PutMetricAlarm",
            "cloudwatch:TagResource",
            "cloudwatch:UntagResource",
          ]
          # Dashboards are global (no region in the ARN) and named <name> exactly.
          Resource = flatten([for n in local.names : [
            "arn:${local.partition}:cloudwatch:${var.region}:${local.account}:alarm:${n}-*",
            "arn:${local.partition}:cloudwatch::${local.account}:dashboard/${n}",
          ]])
        },
        {
          Sid    = "AlertTopic"
          Effect = "Allow"
          Action = [
            "sns:CreateTopic",
            "sns:DeleteTopic",
            "sns:GetSubscriptionAttributes",
            "sns:GetTopicAttributes",
            "sns:ListSubscriptionsByTopic",
            "sns:ListTagsForResource",
            "sns:SetSubscriptionAttributes",
            "sns:SetTopicAttributes",
            "sns:Subscribe",
            "sns:TagResource",
            "sns:Unsubscribe",
            "sns:UntagResource",
          ]
          # Subscription ARNs are <topic ARN>:<id>, so <name>-* covers both.
          Resource = [for n in local.names : "arn:${local.partition}:sns:${var.region}:${local.account}:${n}-*"]
        },
        {
          Sid    = "Budget"
          Effect = "Allow"
          Action = [
            "budgets:ListTagsForResource",
            "budgets:ModifyBudget",
            "budgets:TagResource",
            "budgets:UntagResource",
            "budgets:ViewBudget",
          ]
          Resource = [for n in local.names : "arn:${local.partition}:budgets::${local.account}:budget/${n}-*"]
        },
        {
          # The web servers' agent configuration and application artifact parameters.
          Sid    = "Parameters"
          Effect = "Allow"
          Action = [
            "ssm:AddTagsToResource",
            "ssm:DeleteParameter",
            "ssm:GetParameter",
            "ssm:GetParameters",
            "ssm:ListTagsForResource",
            "ssm:PutParameter",
            "ssm:RemoveTagsFromResource",
          ]
          Resource = [for n in local.names : "arn:${local.partition}:ssm:${var.region}:${local.account}:parameter/${n}/*"]
        },
        {
          # The AMI ids the launch template and the bastion resolve at plan time.
          Sid      = "PublicAmiParameters"
          Effect   = "Allow"
          Action   = ["ssm:GetParameter", "ssm:GetParameters"]
          Resource = ["arn:${local.partition}:ssm:${var.region}::parameter/aws/service/ami-amazon-linux-latest/*"]
        },
        {
          # DescribeParameters has no resource-level permissions.
          Sid       = "ParametersRead"
          Effect    = "Allow"
          Action    = ["ssm:DescribeParameters"]
          Resource  = ["*"]
          Condition = local.in_region
        },
      ]
    }

    # IAM roles and instance profiles of the platform, and its KMS key.
    iam_kms = {
      Version = "2012-10-17"
      Statement = [
        {
          # Roles and profiles: <name>-web, <name>-bastion, <name>-vpc-flow-logs,
          # <name>-rds-monitoring.
          Sid    = "PlatformRolesAndProfiles"
          Effect = "Allow"
          Action = [
            "iam:AddRoleToInstanceProfile",
            "iam:CreateInstanceProfile",
            "iam:CreateRole",
            "iam:DeleteInstanceProfile",
            "iam:DeleteRole",
            "iam:DeleteRolePolicy",
            "iam:GetInstanceProfile",
            "iam:GetRole",
            "iam:GetRolePolicy",
            "iam:ListAttachedRolePolicies",
            "iam:ListInstanceProfilesForRole",
            "iam:ListRolePolicies",
            "iam:PutRolePolicy",
            "iam:RemoveRoleFromInstanceProfile",
            "iam:TagInstanceProfile",
            "iam:TagRole",
            "iam:UntagInstanceProfile",
            "iam:UntagRole",
            "iam:UpdateAssumeRolePolicy",
            "iam:UpdateRole",
            "iam:UpdateRoleDescription",
          ]
          Resource = flatten([for n in local.names : [
            "arn:${local.partition}:iam::${local.account}:role/${n}-*",
            "arn:${local.partition}:iam::${local.account}:instance-profile/${n}-*",
          ]])
        },
        {
          # Only the two AWS managed policies the modules attach.
          Sid      = "PlatformRolesManagedPolicies"
          Effect   = "Allow"
          Action   = ["iam:AttachRolePolicy", "iam:DetachRolePolicy"]
          Resource = [for n in local.names : "arn:${local.partition}:iam::${local.account}:role/${n}-*"]
          Condition = {
            ArnEquals = {
              "iam:PolicyARN" = [
                "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore",
                "arn:${local.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
              ]
            }
          }
        },
        {
          # Instances (web, bastion), VPC flow logs and RDS Enhanced Monitoring.
          Sid      = "PassPlatformRoles"
          Effect   = "Allow"
          Action   = ["iam:PassRole"]
          Resource = [for n in local.names : "arn:${local.partition}:iam::${local.account}:role/${n}-*"]
          Condition = {
            StringEquals = {
              "iam:PassedToService" = [
                "ec2.amazonaws.com",
                "monitoring.rds.amazonaws.com",
                "vpc-flow-logs.amazonaws.com",
              ]
            }
          }
        },
        {
          # First use of these services in an account creates their service roles.
          Sid      = "ServiceLinkedRoles"
          Effect   = "Allow"
          Action   = ["iam:CreateServiceLinkedRole"]
          Resource = ["arn:${local.partition}:iam::${local.account}:role/aws-service-role/*"]
          Condition = {
            StringEquals = {
              "iam:AWSServiceName" = [
                "autoscaling.amazonaws.com",
                "elasticfilesystem.amazonaws.com",
                "elasticloadbalancing.amazonaws.com",
                "rds.amazonaws.com",
              ]
            }
          }
        },
        {
          # CreateKey has no resource: the new key must carry the platform's tags.
          Sid       = "KmsCreateTaggedKey"
          Effect    = "Allow"
          Action    = ["kms:CreateKey"]
          Resource  = ["*"]
          Condition = { StringEquals = local.request_tags }
        },
        {
          # The platform key: administration, and use by the services that encrypt
          # with it on the deployer's behalf (EBS, RDS, EFS, DynamoDB, Secrets Manager).
          Sid    = "KmsPlatformKey"
          Effect = "Allow"
          Action = [
            "kms:CreateAlias",
            "kms:Decrypt",
            "kms:DeleteAlias",
            "kms:DescribeKey",
            "kms:Encrypt",
            "kms:EnableKeyRotation",
            "kms:GenerateDataKey",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:GetKeyPolicy",
            "kms:GetKeyRotationStatus",
            "kms:ListResourceTags",
            "kms:PutKeyPolicy",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo",
            "kms:ScheduleKeyDeletion",
            "kms:TagResource",
            "kms:UntagResource",
            "kms:UpdateAlias",
            "kms:UpdateKeyDescription",
          ]
          Resource  = ["${local.kms}:key/*"]
          Condition = { StringEquals = local.resource_tags }
        },
        {
          Sid       = "KmsGrantsForAwsServices"
          Effect    = "Allow"
          Action    = ["kms:CreateGrant"]
          Resource  = ["${local.kms}:key/*"]
          Condition = { StringEquals = local.resource_tags, Bool = { "kms:GrantIsForAWSResource" = "true" } }
        },
        {
          # The alias is alias/<name>; alias calls authorize the alias and the key.
          Sid      = "KmsPlatformAlias"
          Effect   = "Allow"
          Action   = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
          Resource = flatten([for n in local.names : ["${local.kms}:alias/${n}", "${local.kms}:alias/${n}-*"]])
        },
        {
          # ListAliases has no resource-level permissions.
          Sid       = "KmsListAliases"
          Effect    = "Allow"
          Action    = ["kms:ListAliases"]
          Resource  = ["*"]
          Condition = local.in_region
        },
      ]
    }
  }

  # Interactive use only (attached to the group, not to the CodeBuild role): without
  # an MFA session nothing but setting up one's own MFA device and getting an MFA
  # session works. The user name is IAM's policy variable, escaped for Terraform.
  own_user = "arn:${local.partition}:iam::${local.account}:user/$${aws:username}"
  mfa_self_service_actions = [
    "iam:CreateVirtualMFADevice",
    "iam:EnableMFADevice",
    "iam:GetUser",
    "iam:ListMFADevices",
    "iam:ListVirtualMFADevices",
    "iam:ResyncMFADevice",
    "sts:GetSessionToken",
  ]
  mfa_document = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ListVirtualMfaDevices"
        Effect   = "Allow"
        Action   = ["iam:ListVirtualMFADevices"]
        Resource = ["*"]
      },
      {
        # A virtual device ARN is mfa/<device name>; name it after the user.
        Sid      = "CreateOwnVirtualMfaDevice"
        Effect   = "Allow"
        Action   = ["iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice"]
        Resource = ["arn:${local.partition}:iam::${local.account}:mfa/$${aws:username}"]
      },
      {
        Sid    = "ManageOwnMfa"
        Effect = "Allow"
        Action = [
          "iam:DeactivateMFADevice",
          "iam:EnableMFADevice",
          "iam:GetUser",
          "iam:ListMFADevices",
          "iam:ResyncMFADevice",
        ]
        Resource = [local.own_user]
      },
      {
        # Key rotation by the user themself (README), with an MFA session only:
        # these actions are not exempt from the deny below.
        Sid      = "RotateOwnAccessKeys"
        Effect   = "Allow"
        Action   = ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey"]
        Resource = [local.own_user]
      },
      {
        Sid       = "DenyAllExceptMfaSetupWithoutMfa"
        Effect    = "Deny"
        NotAction = local.mfa_self_service_actions
        Resource  = ["*"]
        Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
      },
    ]
  }

  policy_json = { for area, document in local.documents : area => jsonencode(document) }
}
