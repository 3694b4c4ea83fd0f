"""moto compatibility fixes for vpc; see emulator.moto_compat."""

from __future__ import annotations

import inspect
from typing import Any

from emulator.moto_compat import fix


@fix
def ec2_group_referencing_rule_descriptions() -> None:
    """EC2: DescribeSecurityGroupRules must return the description of a rule whose
    source is another security group.

    Symptom: every ``aws_vpc_security_group_ingress_rule`` with
    ``referenced_security_group_id`` re-plans ``description = null -> "..."`` forever.
    moto keeps such descriptions on the group pair but reads them from the CIDR range.
    """
    from moto.ec2.models import security_groups

    def description(self: Any) -> str | None:
        return self.ip_range.get("Description") or (self.source_group or {}).get("Description")

    security_groups.SecurityGroupRule.description = property(description)


@fix
def ec2_flow_log_destination_arn() -> None:
    """EC2: CreateFlowLogs with ``LogDestination`` (a log group ARN) delivers to that group.

    Symptom: ``aws_flow_log`` with ``log_destination`` (``log_group_name`` is
    deprecated) is reported ``DeliverLogsStatus = FAILED`` / "Access error" with no
    ``LogGroupName``: moto looks the group up by a name it never derived from the ARN.
    """
    from moto.ec2.models import flow_logs

    original = flow_logs.FlowLogsBackend.create_flow_logs

    signature = inspect.signature(original)

    def create_flow_logs(self: Any, *args: Any, **kwargs: Any) -> Any:
        call = signature.bind(self, *args, **kwargs).arguments
        del call["self"]
        destination = call.get("log_destination")
        if (
            call.get("log_destination_type") in (None, "cloud-watch-logs")
            and not call.get("log_group_name")
            and destination
            and ":log-group:" in destination
        ):
            call["log_group_name"] = destination.split(":log-group:", 1)[1].removesuffix(":*")
        return original(self, **call)

    flow_logs.FlowLogsBackend.create_flow_logs = create_flow_logs
