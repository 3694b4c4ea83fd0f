"""moto compatibility fixes for codebuild work and are still needed."""

from __future__ import annotations

import json

import botocore.exceptions
import pytest

# The build environment every project here uses; only source and artifacts vary.
ENVIRONMENT = {
    "type": "LINUX_CONTAINER",
    "image": "aws/codebuild/amazonlinux-x86_64-standard:5.0",
    "computeType": "BUILD_GENERAL1_SMALL",
}


def _role(iam) -> str:
    return iam.create_role(
        RoleName="build",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "codebuild.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]["Arn"]


def test_pipeline_projects_need_no_source_location(emulator_for):
    variant, client = emulator_for("codebuild_pipeline_projects_need_no_location")
    role = _role(client("iam"))
    codebuild = client("codebuild")

    def create():
        return codebuild.create_project(
            name="plan",
            source={"type": "CODEPIPELINE", "buildspec": "buildspecs/plan.yml"},
            artifacts={"type": "CODEPIPELINE"},
            environment=ENVIRONMENT,
            serviceRole=role,
        )

    if variant == "raw":
        with pytest.raises(botocore.exceptions.ClientError, match="source location is required"):
            create()
        return
    project = create()["project"]
    assert project["source"] == {"type": "CODEPIPELINE", "buildspec": "buildspecs/plan.yml"}
    read = codebuild.batch_get_projects(names=["plan"])["projects"][0]
    assert read["source"]["buildspec"] == "buildspecs/plan.yml"
    assert read["artifacts"]["type"] == "CODEPIPELINE"


def test_other_source_types_still_need_a_location(emulator_for):
    variant, client = emulator_for("codebuild_pipeline_projects_need_no_location")
    role = _role(client("iam"))
    with pytest.raises(botocore.exceptions.ClientError, match="source location is required"):
        client("codebuild").create_project(
            name="s3",
            source={"type": "S3"},
            artifacts={"type": "NO_ARTIFACTS"},
            environment=ENVIRONMENT,
            serviceRole=role,
        )


def test_project_keeps_its_encryption_key(emulator_for):
    variant, client = emulator_for("codebuild_project_keeps_its_encryption_key")
    role = _role(client("iam"))
    key = client("kms").create_key()["KeyMetadata"]["Arn"]
    codebuild = client("codebuild")
    codebuild.create_project(
        name="apply",
        source={"type": "CODEPIPELINE", "buildspec": "buildspecs/apply.yml"},
        artifacts={"type": "CODEPIPELINE"},
        environment=ENVIRONMENT,
        serviceRole=role,
        encryptionKey=key,
    )
    read = codebuild.batch_get_projects(names=["apply"])["projects"][0]["encryptionKey"]
    if variant == "raw":
        assert read.endswith(":alias/aws/s3")
    else:
        assert read == key


def test_delete_project_by_arn(emulator_for):
    variant, client = emulator_for("codebuild_delete_project_by_arn")
    role = _role(client("iam"))
    codebuild = client("codebuild")
    arn = codebuild.create_project(
        name="smoke",
        source={"type": "CODEPIPELINE", "buildspec": "buildspecs/smoke.yml"},
        artifacts={"type": "CODEPIPELINE"},
        environment=ENVIRONMENT,
        serviceRole=role,
    )["project"]["arn"]
    codebuild.delete_project(name=arn)
    remaining = codebuild.list_projects()["projects"]
    assert remaining == (["smoke"] if variant == "raw" else [])
