"""Each fix in platformkit.moto_compat is needed and works.

Every test runs twice: against the emulator as we ship it (the fix must make moto
answer like AWS) and against moto with that one fix left out (moto must still be
wrong; when this half fails, moto fixed it upstream and the patch can go).
"""

from __future__ import annotations

import json

import botocore
import pytest

from platformkit import moto_compat
from platformkit.emulator import Emulator, client

REGION = "eu-west-1"


def client_factory(endpoint):
    return lambda service: client(endpoint, service, REGION)


@pytest.fixture(params=["patched", "raw"])
def emulator_for(request, monkeypatch):
    """Factory: an emulator with every fix, or with the named fix left out."""
    started = []

    def make(fix_name):
        if request.param == "raw":
            monkeypatch.setenv(moto_compat.SKIP_VARIABLE, fix_name)
        else:
            monkeypatch.delenv(moto_compat.SKIP_VARIABLE, raising=False)
        emulator = Emulator().start()
        started.append(emulator)
        return request.param, client_factory(emulator.endpoint)

    yield make
    for emulator in started:
        emulator.stop()


def raw_json_of(client, operation, **params):
    """The response body exactly as the wire carried it (before botocore parsing)."""
    captured = {}

    def keep(http_response, **_):
        captured["body"] = http_response.content

    client.meta.events.register(f"after-call.*.{operation}", keep)
    getattr(client, _snake(operation))(**params)
    return json.loads(captured["body"])


def _snake(operation):
    return botocore.xform_name(operation)


def test_codepipeline_timestamps_are_epoch_numbers(emulator_for):
    variant, client = emulator_for("codepipeline_timestamps_as_epoch_numbers")
    iam = client("iam")
    role = iam.create_role(
        RoleName="pipeline",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "codepipeline.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]["Arn"]
    codepipeline = client("codepipeline")
    codepipeline.create_pipeline(
        pipeline={
            "name": "p",
            "roleArn": role,
            "artifactStore": {"type": "S3", "location": "bucket"},
            "stages": [
                {
                    "name": "Source",
                    "actions": [
                        {
                            "name": "S",
                            "actionTypeId": {
                                "category": "Source",
                                "owner": "AWS",
                                "provider": "S3",
                                "version": "1",
                            },
                            "configuration": {"S3Bucket": "b", "S3ObjectKey": "k"},
                            "outputArtifacts": [{"name": "src"}],
                        }
                    ],
                },
                {
                    "name": "Build",
                    "actions": [
                        {
                            "name": "B",
                            "actionTypeId": {
                                "category": "Build",
                                "owner": "AWS",
                                "provider": "CodeBuild",
                                "version": "1",
                            },
                            "configuration": {"ProjectName": "x"},
                            "inputArtifacts": [{"name": "src"}],
                        }
                    ],
                },
            ],
        }
    )
    metadata = raw_json_of(codepipeline, "GetPipeline", name="p")["metadata"]
    listed = raw_json_of(codepipeline, "ListPipelines")["pipelines"][0]
    types = {type(metadata["created"]), type(metadata["updated"]), type(listed["created"])}
    if variant == "patched":
        assert types == {float}
    else:
        assert types == {str}


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


def test_ec2_monitor_instances_enables_detailed_monitoring(emulator_for):
    variant, client = emulator_for("ec2_monitor_instances")
    ec2 = client("ec2")
    instance = ec2.run_instances(
        ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro"
    )["Instances"][0]["InstanceId"]
    if variant == "patched":
        reply = ec2.monitor_instances(InstanceIds=[instance])
        assert reply["InstanceMonitorings"] == [
            {"InstanceId": instance, "Monitoring": {"State": "enabled"}}
        ]
        state = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
        assert state["Monitoring"]["State"] == "enabled"
        ec2.unmonitor_instances(InstanceIds=[instance])
        state = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
        assert state["Monitoring"]["State"] == "disabled"
    else:
        with pytest.raises(Exception, match="500|not yet implemented|InternalFailure"):
            ec2.monitor_instances(InstanceIds=[instance])


def test_budget_subscribers_and_tags_can_be_read(emulator_for):
    variant, client = emulator_for("budgets_subscribers_and_tags")
    budgets = client("budgets")
    account = "123456789012"
    notification = {
        "NotificationType": "ACTUAL",
        "ComparisonOperator": "GREATER_THAN",
        "Threshold": 80.0,
        "ThresholdType": "PERCENTAGE",
    }
    subscriber = {"SubscriptionType": "EMAIL", "Address": "ops@example.com"}
    budgets.create_budget(
        AccountId=account,
        Budget={
            "BudgetName": "monthly",
            "BudgetLimit": {"Amount": "200", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
        NotificationsWithSubscribers=[{"Notification": notification, "Subscribers": [subscriber]}],
        ResourceTags=[{"Key": "Environment", "Value": "local"}],
    )
    arn = f"arn:aws:budgets::{account}:budget/monthly"
    if variant == "raw":
        with pytest.raises(Exception, match="500|not yet implemented|InternalFailure"):
            budgets.describe_subscribers_for_notification(
                AccountId=account, BudgetName="monthly", Notification=notification
            )
        return
    subscribers = budgets.describe_subscribers_for_notification(
        AccountId=account, BudgetName="monthly", Notification=notification
    )["Subscribers"]
    assert subscribers == [subscriber]
    assert budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == [
        {"Key": "Environment", "Value": "local"}
    ]
    budgets.tag_resource(ResourceARN=arn, ResourceTags=[{"Key": "Owner", "Value": "ops"}])
    budgets.untag_resource(ResourceARN=arn, ResourceTagKeys=["Environment"])
    assert budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == [
        {"Key": "Owner", "Value": "ops"}
    ]
