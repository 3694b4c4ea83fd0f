"""moto compatibility fixes for ec2; see platformkit.moto_compat."""

from __future__ import annotations

from typing import Any

from platformkit.moto_compat import fix


@fix
def ec2_monitor_instances() -> None:
    """EC2: implement MonitorInstances / UnmonitorInstances.

    Symptom: ``aws_instance`` with ``monitoring = true`` (detailed monitoring, a
    platform requirement) fails with HTTP 500 "not yet implemented" and is left
    tainted. The instance's monitoring state is flipped as AWS does.
    """
    from moto.core.responses import ActionResult
    from moto.ec2.responses import monitoring

    def _set_state(self: Any, state: str) -> ActionResult:
        self.error_on_dryrun()
        results = []
        for instance_id in self._get_param("InstanceIds", []):
            instance = self.ec2_backend.get_instance(instance_id)
            instance.monitoring_state = state
            results.append({"InstanceId": instance_id, "Monitoring": {"State": state}})
        return ActionResult({"InstanceMonitorings": results})

    monitoring.Monitoring.monitor_instances = lambda self: _set_state(self, "enabled")
    monitoring.Monitoring.unmonitor_instances = lambda self: _set_state(self, "disabled")
