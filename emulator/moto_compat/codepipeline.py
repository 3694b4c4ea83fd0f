"""moto compatibility fixes for codepipeline; see emulator.moto_compat."""

from __future__ import annotations

from typing import Any

from emulator.moto_compat import fix


@fix
def codepipeline_timestamps_as_epoch_numbers() -> None:
    """CodePipeline: ``created``/``updated`` must be epoch numbers, not ISO strings.

    Symptom: ``aws_codepipeline`` create succeeds, then the provider fails with
    "deserialization failed ... expected Timestamp to be a JSON Number, got string".
    AWS's JSON protocol sends timestamps as epoch seconds.
    """
    from moto.codepipeline import models

    def metadata(self: Any) -> dict[str, Any]:
        return {
            "pipelineArn": self._arn,
            "created": self._created.timestamp(),
            "updated": self._updated.timestamp(),
        }

    models.CodePipeline.metadata = property(metadata)
