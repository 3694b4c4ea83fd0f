"""moto compatibility fixes for autoscaling; see emulator.moto_compat."""

from __future__ import annotations

from typing import Any

from emulator.moto_compat import fix


@fix
def autoscaling_policy_enabled_flag() -> None:
    """Auto Scaling: DescribePolicies must return ``Enabled`` and omit an empty
    ``PredictiveScalingConfiguration``.

    Symptom: every plan after apply shows ``enabled = false -> true`` on a target
    tracking ``aws_autoscaling_policy`` and wants to remove an empty
    ``predictive_scaling_configuration`` block. AWS defaults ``Enabled`` to true.
    """
    from moto.autoscaling import models, responses

    original_init = models.FakeScalingPolicy.__init__

    def patched_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.enabled = True
        if not self.predictive_scaling_configuration:
            self.predictive_scaling_configuration = None

    models.FakeScalingPolicy.__init__ = patched_init

    original_put = responses.AutoScalingResponse.put_scaling_policy

    def put_scaling_policy(self: Any) -> Any:
        result = original_put(self)
        enabled = self._get_param("Enabled")
        if enabled is not None:
            policy = self.autoscaling_backend.policies[self._get_param("PolicyName")]
            policy.enabled = str(enabled).lower() == "true"
        return result

    responses.AutoScalingResponse.put_scaling_policy = put_scaling_policy


@fix
def autoscaling_default_instance_warmup() -> None:
    """Auto Scaling: store and return the group's ``DefaultInstanceWarmup``.

    Symptom: moto ignores the parameter, so every plan after apply shows
    ``default_instance_warmup = 0 -> 300`` on ``aws_autoscaling_group``. AWS keeps the
    value set by CreateAutoScalingGroup / UpdateAutoScalingGroup (``-1`` removes it) and
    returns it in DescribeAutoScalingGroups; an unset value is omitted.
    """
    from moto.autoscaling import models, responses

    # Class-level default: groups created without the parameter omit it, as AWS does.
    models.FakeAutoScalingGroup.default_instance_warmup = None

    def keeping_warmup(original: Any) -> Any:
        def action(self: Any) -> Any:
            result = original(self)
            warmup = self._get_int_param("DefaultInstanceWarmup")
            if warmup is not None:
                name = self._get_param("AutoScalingGroupName")
                group = self.autoscaling_backend.autoscaling_groups[name]
                group.default_instance_warmup = None if warmup < 0 else warmup
            return result

        return action

    for action_name in ("create_auto_scaling_group", "update_auto_scaling_group"):
        original = getattr(responses.AutoScalingResponse, action_name)
        setattr(responses.AutoScalingResponse, action_name, keeping_warmup(original))


@fix
def autoscaling_instance_refresh() -> None:
    """Auto Scaling: implement Start/Describe/CancelInstanceRefresh.

    Symptom: changing the launch template version of an ``aws_autoscaling_group`` with
    an ``instance_refresh`` block fails with HTTP 500 "not yet implemented" on
    StartInstanceRefresh, leaving the group tainted.

    AWS records the refresh, returns its id and reports it in DescribeInstanceRefreshes
    (newest first) until it ends; CancelInstanceRefresh fails with
    ``ActiveInstanceRefreshNotFound`` when no refresh is pending or in progress.
    moto cannot replace instances gradually, so a refresh is recorded as already
    ``Successful`` (100 %, nothing left to update) and the running instances are NOT
    replaced: they keep what they were launched with (their EC2 tag
    ``aws:ec2launchtemplate:version`` still names the old version).
    """
    from moto.autoscaling import responses
    from moto.autoscaling.exceptions import AutoscalingClientError, ValidationError
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.moto_api._internal import mock_random

    class ActiveInstanceRefreshNotFound(AutoscalingClientError):
        code = "ActiveInstanceRefreshNotFound"

    def refreshes_of(self: Any) -> list[dict[str, Any]]:
        """The group's refreshes, newest first (kept on the group: gone when it is)."""
        name = self._get_param("AutoScalingGroupName")
        group = self.autoscaling_backend.autoscaling_groups.get(name)
        if group is None:
            raise ValidationError(f"AutoScalingGroup name not found - {name}")
        return group.__dict__.setdefault("instance_refreshes", [])

    def start_instance_refresh(self: Any) -> ActionResult:
        refreshes = refreshes_of(self)
        now = utcnow()
        refresh = {
            "InstanceRefreshId": str(mock_random.uuid4()),
            "AutoScalingGroupName": self._get_param("AutoScalingGroupName"),
            "Strategy": self._get_param("Strategy") or "Rolling",
            "Status": "Successful",
            "StatusReason": "The emulator does not replace instances.",
            "StartTime": now,
            "EndTime": now,
            "PercentageComplete": 100,
            "InstancesToUpdate": 0,
            "Preferences": self._get_param("Preferences"),
            "DesiredConfiguration": self._get_param("DesiredConfiguration"),
        }
        refreshes.insert(0, refresh)
        return ActionResult({"InstanceRefreshId": refresh["InstanceRefreshId"]})

    def describe_instance_refreshes(self: Any) -> ActionResult:
        wanted = self._get_param("InstanceRefreshIds", [])
        found = [r for r in refreshes_of(self) if not wanted or r["InstanceRefreshId"] in wanted]
        return ActionResult({"InstanceRefreshes": found})

    def cancel_instance_refresh(self: Any) -> ActionResult:
        refreshes_of(self)  # an unknown group is a ValidationError, as in AWS
        # Every refresh here has ended when StartInstanceRefresh returns: none to cancel.
        name = self._get_param("AutoScalingGroupName")
        raise ActiveInstanceRefreshNotFound(
            f"No in progress or pending Instance Refresh found for Auto Scaling group {name}"
        )

    responses.AutoScalingResponse.start_instance_refresh = start_instance_refresh
    responses.AutoScalingResponse.describe_instance_refreshes = describe_instance_refreshes
    responses.AutoScalingResponse.cancel_instance_refresh = cancel_instance_refresh


@fix
def autoscaling_instances_follow_launch_template() -> None:
    """Auto Scaling: launch group instances with the launch template's network
    interfaces, monitoring and metadata options, from the group's template version.

    Symptom: instances of an ``aws_autoscaling_group`` whose template declares
    ``network_interfaces { security_groups = [...] }``, ``monitoring`` and
    ``metadata_options`` come up in the VPC's default security group, with basic
    monitoring and IMDSv1 allowed, and tags/settings are read from the template's
    default version instead of the version the group names. AWS launches exactly what
    the group's template version describes.
    """
    from moto.autoscaling import models

    original = models.FakeAutoScalingGroup.replace_autoscaling_group_instances

    def replace_autoscaling_group_instances(
        self: Any, count_needed: int, propagated_tags: dict[str, str]
    ) -> None:
        if self.ec2_launch_template is None:  # launch configurations: moto is fine
            original(self, count_needed, propagated_tags)
            return
        version = self.ec2_launch_template.get_version(self.launch_template_version)
        data = version.data
        propagated_tags[models.ASG_NAME_TAG] = self.name
        propagated_tags.update(version.instance_tags)
        monitoring = str(data.get("Monitoring", {}).get("Enabled", False)).lower() == "true"
        reservation = self.autoscaling_backend.ec2_backend.run_instances(
            version.image_id,
            count_needed,
            version.user_data,
            version.security_groups,
            instance_type=version.instance_type,
            tags={"instance": propagated_tags},
            placement=models.random.choice(self.availability_zones),
            launch_template={
                "LaunchTemplateId": self.ec2_launch_template.id,
                "Version": str(version.number),
            },
            is_instance_type_default=False,
            # moto puts every instance in the group's first subnet.
            subnet_id=self.vpc_zone_identifier.split(",")[0] if self.vpc_zone_identifier else None,
            nics=data.get("NetworkInterfaces", []),
            monitoring_state="enabled" if monitoring else "disabled",
            metadata_options=data.get("MetadataOptions", {}),
        )
        for instance in reservation.instances:
            instance.autoscaling_group = self
            self.instance_states.append(
                models.InstanceState(
                    instance, protected_from_scale_in=self.new_instances_protected_from_scale_in
                )
            )

    models.FakeAutoScalingGroup.replace_autoscaling_group_instances = (
        replace_autoscaling_group_instances
    )
