"""moto compatibility fixes for autoscaling; see platformkit.moto_compat."""

from __future__ import annotations

from typing import Any

from platformkit.moto_compat import fix


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
