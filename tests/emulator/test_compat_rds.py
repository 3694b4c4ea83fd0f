"""moto compatibility fixes for RDS work and are still needed."""

from __future__ import annotations


def test_performance_insights_settings_are_kept(emulator_for):
    variant, client = emulator_for("rds_performance_insights")
    rds = client("rds")
    instance = rds.create_db_instance(
        DBInstanceIdentifier="shop",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        AllocatedStorage=20,
        MasterUsername="shop_admin",
        ManageMasterUserPassword=True,
        EnablePerformanceInsights=True,
        PerformanceInsightsRetentionPeriod=7,
    )["DBInstance"]
    described = rds.describe_db_instances(DBInstanceIdentifier="shop")["DBInstances"][0]
    if variant == "patched":
        assert instance["PerformanceInsightsEnabled"] is True
        assert described["PerformanceInsightsEnabled"] is True
        assert described["PerformanceInsightsRetentionPeriod"] == 7
    else:
        assert not described.get("PerformanceInsightsEnabled")


def test_modified_parameters_report_user_source(emulator_for):
    variant, client = emulator_for("rds_user_parameters_have_source")
    rds = client("rds")
    rds.create_db_parameter_group(
        DBParameterGroupName="shop-pg17", DBParameterGroupFamily="postgres17", Description="x"
    )
    rds.modify_db_parameter_group(
        DBParameterGroupName="shop-pg17",
        Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}
        ],
    )
    parameters = rds.describe_db_parameters(DBParameterGroupName="shop-pg17")["Parameters"]
    (force_ssl,) = [p for p in parameters if p["ParameterName"] == "rds.force_ssl"]
    if variant == "patched":
        assert force_ssl["Source"] == "user"
        only_user = rds.describe_db_parameters(DBParameterGroupName="shop-pg17", Source="user")
        assert [p["ParameterName"] for p in only_user["Parameters"]] == ["rds.force_ssl"]
    else:
        assert "Source" not in force_ssl
