"""Data tier, read back from the emulated account (issue #4).

Each store is found through its own AWS API and compared with the network and
encryption it must use (data subnets, AZs, the platform KMS key, the web role), so a
store wired to the wrong subnet or key fails here even if Terraform is consistent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEFAULT_ASSETS = REPO / "assets" / "static"
LOG_RETENTION_DAYS = 7


def _statements(policy: str | dict) -> list[dict]:
    document = json.loads(policy) if isinstance(policy, str) else policy
    statements = document["Statement"]
    return statements if isinstance(statements, list) else [statements]


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _denies_insecure_transport(statement: dict) -> bool:
    condition = statement.get("Condition", {}).get("Bool", {})
    return (
        statement["Effect"] == "Deny"
        and statement.get("Principal") in ("*", {"AWS": "*"})
        and str(condition.get("aws:SecureTransport", "")).lower() == "false"
    )


# --- RDS PostgreSQL ------------------------------------------------------------------


@pytest.fixture(scope="module")
def db(aws, tf_outputs) -> dict:
    instances = aws("rds").describe_db_instances(
        DBInstanceIdentifier=tf_outputs["database"]["instance_identifier"]
    )["DBInstances"]
    assert len(instances) == 1
    return instances[0]


def test_database_is_postgresql_on_db_t3_micro(db, tf_outputs):
    assert db["Engine"] == "postgres"
    assert db["DBInstanceClass"] == "db.t3.micro"
    assert db["Endpoint"]["Address"] == tf_outputs["database"]["address"]
    assert db["Endpoint"]["Port"] == tf_outputs["database"]["port"] == 5432
    assert db["DBName"] == tf_outputs["database"]["db_name"]


def test_database_keeps_daily_automated_backups_for_7_days(db):
    assert db["BackupRetentionPeriod"] == 7
    # Backups run daily in their window, which ends before the weekly maintenance.
    backup_start, backup_end = db["PreferredBackupWindow"].split("-")
    maintenance_start = db["PreferredMaintenanceWindow"].split("-")[0].split(":", 1)[1]
    assert backup_start < backup_end <= maintenance_start


def test_database_storage_is_encrypted_with_the_platform_key(db, tf_outputs):
    assert db["StorageEncrypted"] is True
    assert db["KmsKeyId"] == tf_outputs["encryption"]["key_arn"]
    assert db["StorageType"] == "gp3"
    assert db["AllocatedStorage"] == 20
    assert db["MaxAllocatedStorage"] > db["AllocatedStorage"]


def test_database_is_not_publicly_accessible(db, tf_outputs):
    assert db["PubliclyAccessible"] is False
    assert [g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]] == [
        tf_outputs["security_group_ids"]["database"]
    ]


def test_database_lives_in_the_private_data_subnets(db, aws, tf_outputs):
    subnets = {s["SubnetIdentifier"] for s in db["DBSubnetGroup"]["Subnets"]}
    assert subnets == set(tf_outputs["network"]["data_subnet_ids"])
    # And those subnets really are the data tier: no route to an internet gateway.
    tables = aws("ec2").describe_route_tables(
        Filters=[{"Name": "association.subnet-id", "Values": sorted(subnets)}]
    )["RouteTables"]
    assert tables, "data subnets must have an explicit route table"
    for table in tables:
        assert not any(r.get("GatewayId", "").startswith("igw-") for r in table["Routes"])


def test_database_master_password_is_managed_by_secrets_manager(db, aws, tf_outputs):
    secret = db.get("MasterUserSecret")
    assert secret, "RDS must manage the master password (ManageMasterUserPassword)"
    assert secret["SecretArn"] == tf_outputs["database"]["master_user_secret_arn"]
    assert secret["KmsKeyId"] == tf_outputs["encryption"]["key_arn"]
    described = aws("secretsmanager").describe_secret(SecretId=secret["SecretArn"])
    assert described["ARN"] == secret["SecretArn"]


def test_database_exports_postgresql_logs_to_7_day_encrypted_groups(db, aws, tf_outputs):
    assert {"postgresql", "upgrade"} <= set(db["EnabledCloudwatchLogsExports"])
    identifier = db["DBInstanceIdentifier"]
    expected = {f"/aws/rds/instance/{identifier}/{kind}" for kind in ("postgresql", "upgrade")}
    assert set(tf_outputs["database"]["log_group_names"].values()) == expected
    groups = {
        g["logGroupName"]: g
        for g in aws("logs").describe_log_groups(
            logGroupNamePrefix=f"/aws/rds/instance/{identifier}/"
        )["logGroups"]
    }
    assert set(groups) == expected
    for group in groups.values():
        assert group["retentionInDays"] == LOG_RETENTION_DAYS
        assert group["kmsKeyId"] == tf_outputs["encryption"]["key_arn"]


def test_database_parameter_group_forces_tls_and_logs_slow_queries(db, aws):
    [group] = db["DBParameterGroups"]
    described = aws("rds").describe_db_parameter_groups(
        DBParameterGroupName=group["DBParameterGroupName"]
    )["DBParameterGroups"][0]
    assert described["DBParameterGroupFamily"] == "postgres" + db["EngineVersion"].split(".")[0]
    parameters = {
        p["ParameterName"]: p.get("ParameterValue")
        for page in aws("rds")
        .get_paginator("describe_db_parameters")
        .paginate(DBParameterGroupName=group["DBParameterGroupName"])
        for p in page["Parameters"]
    }
    assert parameters["rds.force_ssl"] == "1"
    assert 0 <= int(parameters["log_min_duration_statement"]) <= 10_000


def test_database_snapshots_carry_tags_and_dev_is_deletable(db):
    assert db["CopyTagsToSnapshot"] is True
    # The local environment is not production: no deletion protection, no Multi-AZ.
    assert db["DeletionProtection"] is False
    assert db["MultiAZ"] is False


def test_database_enhanced_monitoring_uses_its_own_role(db, aws):
    assert db["MonitoringInterval"] == 60
    role_name = db["MonitoringRoleArn"].rsplit("/", 1)[1]
    attached = aws("iam").list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["AmazonRDSEnhancedMonitoringRole"]
    trust = aws("iam").get_role(RoleName=role_name)["Role"]["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    principals = [s["Principal"]["Service"] for s in _statements(trust)]
    assert principals == ["monitoring.rds.amazonaws.com"]


# --- DynamoDB sessions ---------------------------------------------------------------


@pytest.fixture(scope="module")
def session_table(aws, tf_outputs) -> dict:
    return aws("dynamodb").describe_table(TableName=tf_outputs["sessions"]["table_name"])["Table"]


def test_session_table_is_on_demand_keyed_by_session_id(session_table):
    assert session_table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert session_table["KeySchema"] == [{"AttributeName": "session_id", "KeyType": "HASH"}]
    assert session_table["AttributeDefinitions"] == [
        {"AttributeName": "session_id", "AttributeType": "S"}
    ]


def test_session_table_expires_sessions_by_ttl_on_expires_at(aws, session_table):
    ttl = aws("dynamodb").describe_time_to_live(TableName=session_table["TableName"])
    assert ttl["TimeToLiveDescription"]["TimeToLiveStatus"] == "ENABLED"
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expires_at"


def test_session_table_has_point_in_time_recovery(aws, session_table):
    backups = aws("dynamodb").describe_continuous_backups(TableName=session_table["TableName"])
    description = backups["ContinuousBackupsDescription"]
    assert description["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"


def test_session_table_is_encrypted_with_the_platform_key(session_table, tf_outputs):
    sse = session_table["SSEDescription"]
    assert sse["Status"] == "ENABLED"
    assert sse["SSEType"] == "KMS"
    assert sse["KMSMasterKeyArn"] == tf_outputs["encryption"]["key_arn"]


# --- EFS product images --------------------------------------------------------------


@pytest.fixture(scope="module")
def file_system(aws, tf_outputs) -> dict:
    [fs] = aws("efs").describe_file_systems(
        FileSystemId=tf_outputs["product_images"]["file_system_id"]
    )["FileSystems"]
    return fs


@pytest.fixture(scope="module")
def web_role_arn(aws, tf_outputs) -> str:
    return aws("iam").get_role(RoleName=tf_outputs["web"]["instance_role_name"])["Role"]["Arn"]


def test_product_images_are_encrypted_with_the_platform_key(file_system, tf_outputs):
    assert file_system["Encrypted"] is True
    assert file_system["KmsKeyId"] == tf_outputs["encryption"]["key_arn"]
    assert file_system["PerformanceMode"] == "generalPurpose"


def test_product_images_have_one_mount_target_per_az_in_the_data_subnets(
    aws, file_system, tf_outputs
):
    targets = aws("efs").describe_mount_targets(FileSystemId=file_system["FileSystemId"])[
        "MountTargets"
    ]
    subnet_by_az = dict(
        zip(
            tf_outputs["network"]["availability_zones"],
            tf_outputs["network"]["data_subnet_ids"],
            strict=True,
        )
    )
    assert len(targets) == len(subnet_by_az)
    assert {t["SubnetId"] for t in targets} == set(subnet_by_az.values())
    subnets = aws("ec2").describe_subnets(SubnetIds=[t["SubnetId"] for t in targets])["Subnets"]
    assert {s["SubnetId"]: s["AvailabilityZone"] for s in subnets} == {
        v: k for k, v in subnet_by_az.items()
    }
    for target in targets:
        groups = aws("efs").describe_mount_target_security_groups(
            MountTargetId=target["MountTargetId"]
        )["SecurityGroups"]
        assert groups == [tf_outputs["security_group_ids"]["efs"]]


def test_product_images_access_point_has_fixed_owner_and_root(aws, file_system, tf_outputs):
    [point] = aws("efs").describe_access_points(
        AccessPointId=tf_outputs["product_images"]["access_point_id"]
    )["AccessPoints"]
    assert point["FileSystemId"] == file_system["FileSystemId"]
    assert point["PosixUser"]["Uid"] == 1000
    assert point["PosixUser"]["Gid"] == 1000
    root = point["RootDirectory"]
    assert root["Path"] == "/product-images"
    assert root["CreationInfo"] == {"OwnerUid": 1000, "OwnerGid": 1000, "Permissions": "0755"}


def test_product_images_policy_denies_non_tls_and_allows_only_the_web_role(
    aws, file_system, tf_outputs, web_role_arn
):
    policy = aws("efs").describe_file_system_policy(FileSystemId=file_system["FileSystemId"])
    statements = _statements(policy["Policy"])
    assert any(_denies_insecure_transport(s) for s in statements)
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert [s["Principal"]["AWS"] for s in allows] == [web_role_arn]
    [allow] = allows
    assert "elasticfilesystem:ClientRootAccess" not in _as_list(allow["Action"])
    [point] = aws("efs").describe_access_points(
        AccessPointId=tf_outputs["product_images"]["access_point_id"]
    )["AccessPoints"]
    assert (
        allow["Condition"]["StringEquals"]["elasticfilesystem:AccessPointArn"]
        == point["AccessPointArn"]
    )


def test_product_images_move_to_infrequent_access_and_are_backed_up(aws, file_system):
    policies = aws("efs").describe_lifecycle_configuration(
        FileSystemId=file_system["FileSystemId"]
    )["LifecyclePolicies"]
    assert {"TransitionToIA": "AFTER_30_DAYS"} in policies
    assert {"TransitionToPrimaryStorageClass": "AFTER_1_ACCESS"} in policies
    backup = aws("efs").describe_backup_policy(FileSystemId=file_system["FileSystemId"])
    assert backup["BackupPolicy"]["Status"] == "ENABLED"


# --- S3 static assets ----------------------------------------------------------------


@pytest.fixture(scope="module")
def bucket(tf_outputs) -> str:
    return tf_outputs["static_assets"]["bucket_name"]


def test_static_assets_bucket_blocks_all_public_access(aws, bucket):
    block = aws("s3").get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    ownership = aws("s3").get_bucket_ownership_controls(Bucket=bucket)
    assert ownership["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]


def test_static_assets_bucket_is_versioned_with_old_versions_expiring(aws, bucket):
    assert aws("s3").get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    rules = aws("s3").get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    [rule] = [r for r in rules if r["Status"] == "Enabled"]
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] == 30
    assert rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 7


def test_static_assets_bucket_is_encrypted_with_the_platform_key(aws, bucket, tf_outputs):
    rules = aws("s3").get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"][
        "Rules"
    ]
    [rule] = rules
    default = rule["ApplyServerSideEncryptionByDefault"]
    assert default["SSEAlgorithm"] == "aws:kms"
    assert default["KMSMasterKeyID"] == tf_outputs["encryption"]["key_arn"]
    assert rule["BucketKeyEnabled"] is True


def test_static_assets_bucket_policy_denies_requests_without_tls(aws, bucket):
    statements = _statements(aws("s3").get_bucket_policy(Bucket=bucket)["Policy"])
    denies = [s for s in statements if _denies_insecure_transport(s)]
    assert denies
    assert {f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"} <= set(
        _as_list(denies[0]["Resource"])
    )
    assert not [s for s in statements if s["Effect"] == "Allow"]


def test_static_assets_default_files_are_uploaded(aws, bucket, tf_outputs):
    expected = sorted(
        str(p.relative_to(DEFAULT_ASSETS)) for p in DEFAULT_ASSETS.rglob("*") if p.is_file()
    )
    assert expected, "assets/static must hold the default assets"
    listed = aws("s3").list_objects_v2(Bucket=bucket).get("Contents", [])
    assert (
        sorted(o["Key"] for o in listed) == expected == tf_outputs["static_assets"]["object_keys"]
    )
    content_types = {"style.css": "text/css", "logo.svg": "image/svg+xml"}
    for key in expected:
        obj = aws("s3").get_object(Bucket=bucket, Key=key)
        assert obj["Body"].read() == (DEFAULT_ASSETS / key).read_bytes()
        if key in content_types:
            assert obj["ContentType"].startswith(content_types[key])
