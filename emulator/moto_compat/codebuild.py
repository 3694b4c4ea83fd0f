"""moto compatibility fixes for codebuild; see emulator.moto_compat."""

from __future__ import annotations

from typing import Any

from emulator.moto_compat import fix

# AWS: a project's source location is "required unless type is CODEPIPELINE or
# NO_SOURCE"; artifacts of type CODEPIPELINE or NO_ARTIFACTS have no location.
SOURCE_TYPES_WITHOUT_LOCATION = {"CODEPIPELINE", "NO_SOURCE"}
ARTIFACT_TYPES_WITHOUT_LOCATION = {"CODEPIPELINE", "NO_ARTIFACTS"}


@fix
def codebuild_pipeline_projects_need_no_location() -> None:
    """CodeBuild: a project whose source and artifacts are CODEPIPELINE has no location.

    Symptom: ``aws_codebuild_project`` with ``source { type = "CODEPIPELINE" }`` fails
    with "InvalidInputException: Project source location is required"; moto demands a
    location for every source and artifact type.
    """
    from moto.codebuild import responses
    from moto.codebuild.exceptions import InvalidInputException

    check_source = responses._validate_required_params_source
    check_artifacts = responses._validate_required_params_artifacts

    def source(source: dict[str, Any]) -> None:
        if source.get("type") in SOURCE_TYPES_WITHOUT_LOCATION:
            return
        check_source(source)

    def artifacts(artifacts: dict[str, Any]) -> None:
        if artifacts.get("type") == "CODEPIPELINE":
            return
        if artifacts.get("type") not in {"S3", *ARTIFACT_TYPES_WITHOUT_LOCATION}:
            raise InvalidInputException("Invalid type provided: Artifact type")
        check_artifacts(artifacts)

    responses._validate_required_params_source = source
    responses._validate_required_params_artifacts = artifacts


@fix
def codebuild_project_keeps_its_encryption_key() -> None:
    """CodeBuild: a project keeps the ``encryptionKey`` it was created with.

    Symptom: ``aws_codebuild_project`` with ``encryption_key`` set applies, then every
    plan wants to change ``encryption_key`` from ``alias/aws/s3`` back to the key:
    moto ignores the parameter and always answers AWS's default key.
    """
    from moto.codebuild import responses

    original = responses.CodeBuildResponse.create_project

    def create_project(self: Any) -> Any:
        result = original(self)
        key = self._get_param("encryptionKey")
        if key:
            # The response carries this same metadata dict, so it shows the key too.
            project = self.codebuild_backend.codebuild_projects[self._get_param("name")]
            project.project_metadata["encryptionKey"] = key
        return result

    responses.CodeBuildResponse.create_project = create_project


def _project_name(name_or_arn: str) -> str:
    """AWS takes a project's name or its ARN (arn:...:codebuild:...:project/<name>)."""
    return name_or_arn.split(":project/", 1)[1] if ":project/" in name_or_arn else name_or_arn


@fix
def codebuild_delete_project_by_arn() -> None:
    """CodeBuild: DeleteProject accepts a project ARN (BatchGetProjects already does).

    Symptom: ``terraform destroy`` reports ``aws_codebuild_project`` destroyed, yet the
    project stays: the provider deletes by ARN, which moto looks up as a name.
    """
    from moto.codebuild import models

    delete = models.CodeBuildBackend.delete_project

    def delete_project(self: Any, project_name: str) -> None:
        delete(self, _project_name(project_name))

    models.CodeBuildBackend.delete_project = delete_project
