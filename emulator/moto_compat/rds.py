"""moto compatibility fixes for rds; see emulator.moto_compat."""

from __future__ import annotations

from typing import Any

from emulator.moto_compat import fix

PERFORMANCE_INSIGHTS_FIELDS = {
    "enable_performance_insights": ("performance_insights_enabled", bool),
    "performance_insights_kms_key_id": ("performance_insights_kms_key_id", str),
    "performance_insights_retention_period": ("performance_insights_retention_period", int),
}


def _keep_performance_insights(instance: Any, kwargs: dict[str, Any]) -> None:
    for argument, (attribute, convert) in PERFORMANCE_INSIGHTS_FIELDS.items():
        value = kwargs.get(argument)
        if value is not None and value != "":
            if convert is bool:
                value = str(value).lower() == "true"
            setattr(instance, attribute, convert(value))


@fix
def rds_performance_insights() -> None:
    """RDS: keep and return the Performance Insights settings of an instance.

    Symptom: every plan shows ``performance_insights_enabled = false -> true`` (and
    the KMS key and retention) because moto drops them on create and modify.
    """
    from moto.rds import models

    original_init = models.DBInstance.__init__
    original_update = models.DBInstance.update

    def patched_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.performance_insights_enabled = False
        _keep_performance_insights(self, kwargs)

    def update(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original_update(self, *args, **kwargs)
        changes = args[0] if args and isinstance(args[0], dict) else kwargs
        _keep_performance_insights(self, changes)
        return result

    models.DBInstance.__init__ = patched_init
    models.DBInstance.update = update


@fix
def rds_user_parameters_have_source() -> None:
    """RDS: parameters set by ModifyDBParameterGroup report ``Source = user``.

    Symptom: the provider ignores parameters without a Source, so every plan re-adds
    every ``parameter`` block of an ``aws_db_parameter_group`` (rds.force_ssl ...).
    """
    from moto.rds import models, responses
    from moto.rds.exceptions import DBParameterGroupNotFoundError

    original_update = models.DBParameterGroup.update_parameters

    def update_parameters(self: Any, new_parameters: Any) -> None:
        original_update(self, [dict(parameter, Source="user") for parameter in new_parameters])

    def describe_db_parameters(self: Any) -> Any:
        from moto.core.responses import ActionResult

        name = self.params.get("DBParameterGroupName")
        groups = self.backend.describe_db_parameter_groups({"db_parameter_group_name": name})
        if not groups:
            raise DBParameterGroupNotFoundError(name)
        parameters = list(groups[0].parameters.values())
        source = self.params.get("Source")
        if source:
            parameters = [p for p in parameters if p.get("Source") == source]
        return ActionResult({"Parameters": parameters})

    models.DBParameterGroup.update_parameters = update_parameters
    responses.RDSResponse.describe_db_parameters = describe_db_parameters
