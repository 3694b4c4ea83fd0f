"""moto compatibility fixes for autoscaling work and are still needed."""

from __future__ import annotations

REGION = "eu-west-1"


def test_autoscaling_policy_reports_enabled_and_no_empty_predictive_block(emulator_for):
    variant, client = emulator_for("autoscaling_policy_enabled_flag")
    ec2 = client("ec2")
    template = ec2.create_launch_template(
        LaunchTemplateName="web",
        LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"},
    )["LaunchTemplate"]["LaunchTemplateId"]
    autoscaling = client("autoscaling")
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="web",
        MinSize=1,
        MaxSize=2,
        LaunchTemplate={"LaunchTemplateId": template},
        AvailabilityZones=[f"{REGION}a"],
    )
    autoscaling.put_scaling_policy(
        AutoScalingGroupName="web",
        PolicyName="cpu",
        PolicyType="TargetTrackingScaling",
        Enabled=True,
        TargetTrackingConfiguration={
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
            "TargetValue": 70.0,
        },
    )
    (described,) = autoscaling.describe_policies(AutoScalingGroupName="web")["ScalingPolicies"]
    if variant == "patched":
        assert described["Enabled"] is True
        assert "PredictiveScalingConfiguration" not in described
    else:
        assert "Enabled" not in described
