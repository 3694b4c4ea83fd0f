"""moto compatibility fixes for EFS work and are still needed."""

from __future__ import annotations

import json

import pytest


def test_backup_policy_can_be_put_and_reads_disabled(emulator_for):
    variant, client = emulator_for("efs_backup_policy")
    efs = client("efs")
    file_system = efs.create_file_system(CreationToken="images", Encrypted=True)["FileSystemId"]
    if variant == "raw":
        with pytest.raises(Exception, match="500|not been implemented|InternalFailure"):
            efs.put_backup_policy(FileSystemId=file_system, BackupPolicy={"Status": "ENABLED"})
        return
    efs.put_backup_policy(FileSystemId=file_system, BackupPolicy={"Status": "ENABLED"})
    assert efs.describe_backup_policy(FileSystemId=file_system)["BackupPolicy"] == {
        "Status": "ENABLED"
    }
    efs.put_backup_policy(FileSystemId=file_system, BackupPolicy={"Status": "DISABLED"})
    assert efs.describe_backup_policy(FileSystemId=file_system)["BackupPolicy"] == {
        "Status": "DISABLED"
    }


def test_file_system_policy_can_be_deleted(emulator_for):
    variant, client = emulator_for("efs_delete_file_system_policy")
    efs = client("efs")
    file_system = efs.create_file_system(CreationToken="images", Encrypted=True)["FileSystemId"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
    efs.put_file_system_policy(FileSystemId=file_system, Policy=json.dumps(policy))
    if variant == "raw":
        with pytest.raises(Exception, match="500|not been implemented|InternalFailure"):
            efs.delete_file_system_policy(FileSystemId=file_system)
        return
    efs.delete_file_system_policy(FileSystemId=file_system)
    with pytest.raises(efs.exceptions.PolicyNotFound):
        efs.describe_file_system_policy(FileSystemId=file_system)
