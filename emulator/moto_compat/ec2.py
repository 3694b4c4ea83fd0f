"""moto compatibility fixes for ec2; see emulator.moto_compat."""

from __future__ import annotations

from typing import Any

from emulator.moto_compat import fix


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


@fix
def ec2_launch_template_data_without_own_tags() -> None:
    """EC2: keep the launch template's own tags out of its version data.

    Symptom: CreateLaunchTemplate with ``TagSpecifications`` (ResourceType
    ``launch-template``, the provider sends the resource's tags that way) makes moto
    copy those tags into ``LaunchTemplateData.TagSpecifications`` of version 1, so the
    next plan wants to drop that entry and creates a new template version on every
    apply. AWS tags the template itself and stores only the LaunchTemplateData that
    was sent (``launch-template`` is not even a valid resource type there).
    """
    from moto.ec2.models.launch_templates import LaunchTemplateBackend

    original = LaunchTemplateBackend.create_launch_template

    def create_launch_template(
        self: Any, name: str, description: str, template_data: dict[str, Any], tag_spec: Any
    ) -> Any:
        specs = [
            spec
            for spec in template_data.get("TagSpecifications", [])
            if spec.get("ResourceType") != "launch-template"
        ]
        template_data = {k: v for k, v in template_data.items() if k != "TagSpecifications"}
        if specs:
            template_data["TagSpecifications"] = specs
        return original(self, name, description, template_data, tag_spec)

    LaunchTemplateBackend.create_launch_template = create_launch_template


@fix
def ec2_instance_groups_from_primary_interface() -> None:
    """EC2: an instance's security groups are those of its primary network interface.

    Symptom: ``aws_instance`` with ``associate_public_ip_address`` (the bastion) is
    launched with ``NetworkInterfaces[0].Groups`` instead of ``SecurityGroupIds``;
    moto then returns empty top-level ``SecurityGroups`` in DescribeInstances and every
    plan shows ``vpc_security_group_ids + sg-...``. AWS reports the primary interface's
    groups (the VPC default group when none was given) as the instance's groups.
    """
    from moto.ec2.models.instances import Instance

    original_init = Instance.__init__

    def patched_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        primary = self.nics.get(0)
        if not self.security_groups and primary is not None:
            self.security_groups = list(primary._group_set)

    Instance.__init__ = patched_init


@fix
def ec2_revoke_unknown_rule_id_not_found() -> None:
    """EC2: revoking by an unknown ``SecurityGroupRuleIds`` entry is
    ``InvalidSecurityGroupRuleId.NotFound``, as on AWS.

    Symptom: ``terraform destroy`` fails now and then with "deleting VPC Security
    Group Rule (sgr-...): RevokeSecurityGroupEgress ... InvalidPermission.NotFound"
    although the rule is gone afterwards. The provider deletes an
    ``aws_vpc_security_group_{egress,ingress}_rule`` with one Revoke by GroupId and
    SecurityGroupRuleIds and treats ``InvalidSecurityGroupRuleId.NotFound`` (AWS's
    answer when the rule no longer exists) as done; moto answers
    ``InvalidPermission.NotFound`` (AWS's answer for an unmatched IpPermissions
    revoke), so an SDK retry of a revoke that had already taken effect fails the
    destroy. Like AWS, the call is validated before anything is removed.
    """
    from moto.ec2.exceptions import (
        InvalidSecurityGroupNotFoundError,
        InvalidSecurityGroupRuleIdNotFoundError,
    )
    from moto.ec2.models.security_groups import SecurityGroupBackend

    def checked(original: Any, egress: bool) -> Any:
        def revoke(self: Any, group_name_or_id: str, *args: Any, **kwargs: Any) -> Any:
            rule_ids = kwargs.get("security_rule_ids")
            if rule_ids:
                group = self.get_security_group_by_name_or_id(
                    group_name_or_id, kwargs.get("vpc_id")
                )
                if group is None:
                    raise InvalidSecurityGroupNotFoundError(group_name_or_id)
                known = {
                    rule.id for rule in (group.egress_rules if egress else group.ingress_rules)
                }
                for rule_id in rule_ids:
                    if rule_id not in known:
                        raise InvalidSecurityGroupRuleIdNotFoundError(rule_id)
            return original(self, group_name_or_id, *args, **kwargs)

        return revoke

    SecurityGroupBackend.revoke_security_group_egress = checked(
        SecurityGroupBackend.revoke_security_group_egress, egress=True
    )
    SecurityGroupBackend.revoke_security_group_ingress = checked(
        SecurityGroupBackend.revoke_security_group_ingress, egress=False
    )
