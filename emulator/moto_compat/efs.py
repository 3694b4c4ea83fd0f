"""moto compatibility fixes for efs; see emulator.moto_compat."""

from __future__ import annotations

from typing import Any

from emulator.moto_compat import fix


@fix
def efs_backup_policy() -> None:
    """EFS: implement PutBackupPolicy; DescribeBackupPolicy reports DISABLED.

    Symptom: ``aws_efs_backup_policy`` fails to create (HTTP 500 "not been
    implemented"), and its destroy waits for a ``DISABLED`` status that moto never
    reports (it answers PolicyNotFound where AWS answers ``{"Status": "DISABLED"}``).
    """
    import json

    from moto.efs import models, responses

    def put_backup_policy(self: Any) -> Any:
        file_system_id = self._get_param("FileSystemId")
        status = self._get_param("BackupPolicy")["Status"]
        self.efs_backend.file_systems_by_id[file_system_id]._backup = status == "ENABLED"
        body = {"BackupPolicy": {"Status": status}}
        return json.dumps(body), {"Content-Type": "application/json"}

    def backup_policy(self: Any) -> dict[str, str]:
        return {"Status": "ENABLED" if self._backup else "DISABLED"}

    responses.EFSResponse.put_backup_policy = put_backup_policy
    models.FileSystem.backup_policy = property(backup_policy)


@fix
def efs_delete_file_system_policy() -> None:
    """EFS: implement DeleteFileSystemPolicy.

    Symptom: destroying ``aws_efs_file_system_policy`` fails with HTTP 500.
    """
    import json

    from moto.efs import responses

    def delete_file_system_policy(self: Any) -> Any:
        file_system_id = self._get_param("FileSystemId")
        self.efs_backend.file_systems_by_id[file_system_id].file_system_policy = None
        return json.dumps({}), {"Content-Type": "application/json"}

    responses.EFSResponse.delete_file_system_policy = delete_file_system_policy
