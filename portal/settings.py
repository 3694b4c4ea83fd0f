"""Portal settings, read from environment variables (shared by the web app and the worker).

Per-environment Terraform settings (endpoint, credentials) come from variables named
``PORTAL_TF_<ENVIRONMENT>__<NAME>``, for example::

    PORTAL_TF_LOCAL__TF_VAR_aws_endpoint=http://127.0.0.1:5000
    PORTAL_TF_DEV__AWS_PROFILE=platform-dev

Only ``TF_VAR_*`` and ``AWS_*`` names are passed to Terraform, and only for that
environment. Their values are never logged or shown; pages list the names only.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

ENV_SETTING = re.compile(r"^PORTAL_TF_(?P<env>[A-Z0-9_]+?)__(?P<name>(TF_VAR_|AWS_)[A-Za-z0-9_]+)$")
SECRET_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|KEY", re.IGNORECASE)


class ConfigurationError(RuntimeError):
    """The portal cannot start with these settings; the message says what to set."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(environ: dict[str, str], name: str, default: int) -> int:
    raw = environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ConfigurationError(f"{name} must be a whole number, got {raw!r}") from error


ENVIRONMENT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_APPROVALS = 10


def parse_required_approvals(raw: str) -> dict[str, int]:
    """``prod=2,dev=1`` -> {"prod": 2, "dev": 1}, with a message that says what to type."""
    example = 'e.g. PORTAL_REQUIRED_APPROVALS="prod=2,dev=1"'
    result: dict[str, int] = {}
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        name, sep, count = (piece.strip() for piece in item.partition("="))
        if not sep or not ENVIRONMENT_NAME.match(name):
            raise ConfigurationError(
                f"PORTAL_REQUIRED_APPROVALS: {item!r} is not <environment>=<count> ({example})."
            )
        if not count.isdigit() or not 1 <= int(count) <= MAX_APPROVALS:
            raise ConfigurationError(
                f"PORTAL_REQUIRED_APPROVALS: the count for {name} must be a whole number from 1 "
                f"to {MAX_APPROVALS}, got {count!r} ({example})."
            )
        if name in result:
            raise ConfigurationError(f"PORTAL_REQUIRED_APPROVALS names {name} twice.")
        result[name] = int(count)
    return result


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str
    secret_key: str
    production: bool
    session_cookie_secure: bool
    data_dir: Path
    # The checkout runs are made from, and the parts of it copied into each run: the
    # Terraform tree plus what it reads from outside it (the static assets it uploads).
    source_dir: Path
    # Terraform's CLI configuration and provider plugin cache (PORTAL_TERRAFORM_CACHE_DIR).
    terraform_cache_dir: Path
    workspace_paths: tuple[str, ...] = ("terraform", "assets")
    terraform_binary: str = "terraform"
    # Heartbeats: the worker writes one every interval; a run whose last heartbeat is
    # older than the timeout is failed by the reaper.
    heartbeat_interval: int = 5
    heartbeat_timeout: int = 45
    plan_timeout: int = 30 * 60
    apply_timeout: int = 2 * 60 * 60
    cancel_grace: int = 20
    plan_max_age: int = 24 * 60 * 60
    # A queued/approved run whose task has not started after this long is re-dispatched
    # (the broker lost the message, e.g. Redis restarted without persistence).
    redispatch_after: int = 120
    login_max_failures: int = 5
    login_window: int = 15 * 60
    trusted_sso_header: str | None = None
    trusted_proxies: tuple[str, ...] = ()
    environment_settings: dict[str, dict[str, str]] = field(default_factory=dict)
    # Distinct approvers a plan needs before it may be applied, per environment name
    # (PORTAL_REQUIRED_APPROVALS="prod=2,dev=1"); environments not listed need one.
    required_approvals: dict[str, int] = field(default_factory=dict)

    @property
    def terraform_dir(self) -> Path:
        return self.source_dir / "terraform"

    @property
    def environments_dir(self) -> Path:
        return self.terraform_dir / "environments"

    @property
    def longest_run(self) -> int:
        return self.plan_timeout + self.apply_timeout

    def terraform_settings(self, environment: str) -> dict[str, str]:
        """TF_VAR_/AWS_ variables for one environment (values are secret, never log them)."""
        return dict(self.environment_settings.get(environment.upper().replace("-", "_"), {}))

    def approvals_required(self, environment: str) -> int:
        return self.required_approvals.get(environment, 1)

    def secret_values(self, environment: str) -> list[str]:
        """Values to mask in Terraform output for this environment."""
        return [
            value
            for name, value in self.terraform_settings(environment).items()
            if SECRET_NAME.search(name) and len(value) >= 4
        ]

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        production = env.get("PORTAL_ENV", "production").lower() == "production"
        secret_key = env.get("SECRET_KEY", "")
        if not secret_key:
            if production:
                raise ConfigurationError(
                    "SECRET_KEY is not set. In production the portal needs a long random "
                    "SECRET_KEY (python -c 'import secrets; print(secrets.token_urlsafe(48))'); "
                    "for a local run set PORTAL_ENV=development."
                )
            # Development only: sessions last as long as this process.
            secret_key = secrets.token_urlsafe(48)
        elif production and len(secret_key) < 32:
            raise ConfigurationError("SECRET_KEY must be at least 32 characters in production.")
        database_url = env.get("DATABASE_URL", "")
        if not database_url:
            raise ConfigurationError(
                "DATABASE_URL is not set, e.g. postgresql+psycopg://portal@127.0.0.1:5432/portal"
            )
        if database_url.startswith("postgresql://"):
            database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
        per_environment: dict[str, dict[str, str]] = {}
        for name, value in env.items():
            match = ENV_SETTING.match(name)
            if match:
                per_environment.setdefault(match["env"], {})[match["name"]] = value
        # Where the runs are made from: a checkout of this repository (the current
        # directory unless PORTAL_SOURCE_DIR says otherwise); the data lives beside it.
        source_dir = Path(env.get("PORTAL_SOURCE_DIR") or Path.cwd())
        data_dir = Path(env.get("PORTAL_DATA_DIR") or source_dir / ".run" / "portal" / "data")
        proxies = tuple(
            p.strip() for p in env.get("PORTAL_TRUSTED_PROXIES", "").split(",") if p.strip()
        )
        sso_header = env.get("PORTAL_TRUSTED_SSO_HEADER") or None
        if sso_header and not proxies:
            raise ConfigurationError(
                "PORTAL_TRUSTED_SSO_HEADER is set but PORTAL_TRUSTED_PROXIES is empty: the "
                "identity header may only be trusted from the fronting proxy's address."
            )
        return cls(
            database_url=database_url,
            redis_url=env.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            secret_key=secret_key,
            production=production,
            session_cookie_secure=_bool(env.get("SESSION_COOKIE_SECURE"), True),
            data_dir=data_dir,
            source_dir=source_dir,
            terraform_cache_dir=Path(
                env.get("PORTAL_TERRAFORM_CACHE_DIR") or data_dir / "terraform-cache"
            ),
            workspace_paths=tuple(
                p.strip()
                for p in env.get("PORTAL_WORKSPACE_PATHS", "terraform,assets").split(",")
                if p.strip()
            ),
            terraform_binary=env.get("PORTAL_TERRAFORM_BINARY", "terraform"),
            heartbeat_interval=_int(env, "PORTAL_HEARTBEAT_INTERVAL", 5),
            heartbeat_timeout=_int(env, "PORTAL_HEARTBEAT_TIMEOUT", 45),
            plan_timeout=_int(env, "PORTAL_PLAN_TIMEOUT", 30 * 60),
            apply_timeout=_int(env, "PORTAL_APPLY_TIMEOUT", 2 * 60 * 60),
            cancel_grace=_int(env, "PORTAL_CANCEL_GRACE", 20),
            plan_max_age=_int(env, "PORTAL_PLAN_MAX_AGE", 24 * 60 * 60),
            redispatch_after=_int(env, "PORTAL_REDISPATCH_AFTER", 120),
            login_max_failures=_int(env, "PORTAL_LOGIN_MAX_FAILURES", 5),
            login_window=_int(env, "PORTAL_LOGIN_WINDOW", 15 * 60),
            trusted_sso_header=sso_header,
            trusted_proxies=proxies,
            environment_settings=per_environment,
            required_approvals=parse_required_approvals(env.get("PORTAL_REQUIRED_APPROVALS", "")),
        )
