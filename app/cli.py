"""Admin commands: ``flask --app app users create NAME --role admin`` and friends."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from portal import accounts, db, lifecycle
from portal.models import Role, User

ROLES = list(accounts.ROLES)
CLI = "cli"  # the audit log's actor for changes made on the command line


def register_cli(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(reap)
    app.cli.add_command(environments)


@click.group(cls=AppGroup, help="Manage portal users.")
def users() -> None:
    pass


@users.command(
    "create",
    help="Create a user. The password is generated and printed once, "
    "unless --password-stdin reads it from standard input.",
)
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default=Role.VIEWER.value, show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
def create_user(username: str, role: str, password_stdin: bool) -> None:
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    with _account_change():
        user, generated = accounts.create_user(db.session(), CLI, username, role, password)
    click.echo(f"Created {user.username} ({role}).")
    if generated:
        click.echo(f"Password (shown once, store it now): {generated}")


@users.command("list", help="List users, their default role and their roles per environment.")
def list_users() -> None:
    for user in db.session.scalars(select(User).order_by(User.username)):
        state = "active" if user.active else "disabled"
        grants = " ".join(f"{g.environment_name}={g.role}" for g in user.grants)
        click.echo(f"{user.username:24} {user.role:10} {state:9} {grants}".rstrip())


@users.command("set-role", help="Change a user's default role.")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
def set_role(username: str, role: str) -> None:
    with _account_change():
        user = accounts.find_user(db.session(), username)
        old = user.role
        accounts.set_role(db.session(), CLI, user, role)
    click.echo(f"{user.username}: {old} -> {role}")


@users.command(
    "grant",
    help="Give a user a role on one environment (replacing the default role there); "
    "--default removes it again.",
)
@click.argument("username")
@click.argument("environment")
@click.argument("role", type=click.Choice(ROLES), required=False)
@click.option("--default", "use_default", is_flag=True, help="Use the default role there.")
def grant(username: str, environment: str, role: str | None, use_default: bool) -> None:
    if (role is None) == (not use_default):
        raise click.UsageError("Give either a ROLE or --default.")
    from flask import current_app

    from portal import lifecycle

    lifecycle.sync_environments(db.session(), current_app.config["PORTAL_SETTINGS"])
    with _account_change():
        user = accounts.find_user(db.session(), username)
        accounts.grant(db.session(), CLI, user, environment, role)
    click.echo(f"{user.username} on {environment}: {role or f'default ({user.role})'}")


@users.command("disable", help="Disable a user (keeps their history).")
@click.argument("username")
def disable(username: str) -> None:
    with _account_change():
        user = accounts.find_user(db.session(), username)
        accounts.set_active(db.session(), CLI, user, False)
    click.echo(f"{user.username} disabled")


@users.command("reset-password", help="Generate a new password and print it once.")
@click.argument("username")
def reset_password(username: str) -> None:
    with _account_change():
        user = accounts.find_user(db.session(), username)
        password = accounts.reset_password(db.session(), CLI, user)
    click.echo(f"New password for {user.username} (shown once): {password}")


@contextmanager
def _account_change() -> Iterator[None]:
    """Commit the change, or turn the rule it broke into a command-line error."""
    try:
        yield
        db.session.commit()
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error


@click.command(help="Fail runs whose worker died and re-queue lost tasks, once.")
def reap() -> None:
    from flask import current_app

    result = lifecycle.reap(db.session(), current_app.config["PORTAL_SETTINGS"])
    db.session.commit()
    click.echo(
        f"failed={result.failed} redispatched={result.redispatched} promoted={result.promoted}"
    )


@click.group(cls=AppGroup, help="Environment bookkeeping.")
def environments() -> None:
    pass


@environments.command(
    "state-set-aside",
    help="Record that NAME's state was moved aside (make run does this for local when a "
    "new emulator starts): the portal marks older runs and forgets the old outputs.",
)
@click.argument("name")
@click.option("--note", required=True, help="What happened and where the old state went.")
def state_set_aside(name: str, note: str) -> None:
    from flask import current_app

    try:
        lifecycle.record_state_set_aside(
            db.session(), current_app.config["PORTAL_SETTINGS"], name, note, CLI
        )
    except lifecycle.RunError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"{name}: state set aside recorded")
