"""moto compatibility fixes for codepipeline work and are still needed."""

from __future__ import annotations

import json

from tests.emulator.conftest import raw_json_of


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
