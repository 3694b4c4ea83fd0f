"""Portal settings from the environment: secure by default, clear errors."""

from __future__ import annotations

import pytest

from portal.settings import ConfigurationError, Settings

BASE = {"DATABASE_URL": "postgresql://portal@db:5432/portal", "SECRET_KEY": "k" * 40}


def test_production_is_the_default_and_needs_a_secret_key() -> None:
    with pytest.raises(ConfigurationError, match="SECRET_KEY is not set"):
        Settings.from_env({"DATABASE_URL": BASE["DATABASE_URL"]})
    with pytest.raises(ConfigurationError, match="at least 32"):
        Settings.from_env({**BASE, "SECRET_KEY": "short"})


def test_development_generates_a_random_key_instead_of_a_hard_coded_one() -> None:
    one = Settings.from_env({"DATABASE_URL": "x", "PORTAL_ENV": "development"})
    two = Settings.from_env({"DATABASE_URL": "x", "PORTAL_ENV": "development"})
    assert one.secret_key != two.secret_key and len(one.secret_key) >= 32


def test_database_url_is_required_and_normalised_to_psycopg3() -> None:
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        Settings.from_env({"SECRET_KEY": "k" * 40})
    assert Settings.from_env(BASE).database_url.startswith("postgresql+psycopg://")


def test_cookies_are_secure_by_default() -> None:
    assert Settings.from_env(BASE).session_cookie_secure is True
    local = Settings.from_env({**BASE, "SESSION_COOKIE_SECURE": "false"})
    assert local.session_cookie_secure is False


def test_per_environment_terraform_settings_are_scoped_and_secrets_masked() -> None:
    settings = Settings.from_env(
        {
            **BASE,
            "PORTAL_TF_LOCAL__TF_VAR_aws_endpoint": "http://127.0.0.1:5000",
            "PORTAL_TF_DEV__AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "PORTAL_TF_DEV__AWS_SECRET_ACCESS_KEY": "very-secret-value",
            "PORTAL_TF_DEV__PATH": "/evil",  # only TF_VAR_ and AWS_ names are passed on
        }
    )
    assert settings.terraform_settings("local") == {"TF_VAR_aws_endpoint": "http://127.0.0.1:5000"}
    assert set(settings.terraform_settings("dev")) == {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
    assert sorted(settings.secret_values("dev")) == ["AKIAEXAMPLE", "very-secret-value"]
    assert settings.terraform_settings("prod") == {}


def test_sso_header_needs_a_trusted_proxy() -> None:
    assert Settings.from_env(BASE).trusted_sso_header is None  # off by default
    with pytest.raises(ConfigurationError, match="PORTAL_TRUSTED_PROXIES"):
        Settings.from_env({**BASE, "PORTAL_TRUSTED_SSO_HEADER": "X-Forwarded-User"})
    settings = Settings.from_env(
        {
            **BASE,
            "PORTAL_TRUSTED_SSO_HEADER": "X-Forwarded-User",
            "PORTAL_TRUSTED_PROXIES": "10.0.0.5, 10.0.0.6",
        }
    )
    assert settings.trusted_proxies == ("10.0.0.5", "10.0.0.6")


def test_bad_numbers_are_reported_by_name() -> None:
    with pytest.raises(ConfigurationError, match="PORTAL_HEARTBEAT_TIMEOUT"):
        Settings.from_env({**BASE, "PORTAL_HEARTBEAT_TIMEOUT": "soon"})


def test_required_approvals_per_environment() -> None:
    settings = Settings.from_env({**BASE, "PORTAL_REQUIRED_APPROVALS": "prod=2, dev=1"})
    assert settings.approvals_required("prod") == 2
    assert settings.approvals_required("dev") == 1
    assert settings.approvals_required("local") == 1  # not listed: one approver
    assert Settings.from_env(BASE).approvals_required("prod") == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("prod", "is not <environment>=<count>"),
        ("prod:2", "is not <environment>=<count>"),
        ("Prod=2", "is not <environment>=<count>"),
        ("prod=two", "must be a whole number from 1 to 10"),
        ("prod=0", "must be a whole number from 1 to 10"),
        ("prod=11", "must be a whole number from 1 to 10"),
        ("prod=2,prod=3", "names prod twice"),
    ],
)
def test_bad_required_approvals_say_what_to_type(raw: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match="PORTAL_REQUIRED_APPROVALS") as error:
        Settings.from_env({**BASE, "PORTAL_REQUIRED_APPROVALS": raw})
    assert message in str(error.value)
