"""Admin commands: ``flask --app app users create NAME --role admin`` and friends."""

from __future__ import annotations

import sys

import click
from flask import Flask
from sqlalchemy import select

from app import audit, db, lifecycle
from app.models import Role, User
from app.security import MIN_PASSWORD_LENGTH, generate_password, hash_password

ROLES = [role.value for role in Role]


def register_cli(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(reap)


@click.group(help="Manage portal users.")
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
    username = username.strip().lower()
    if db.session.scalars(select(User).where(User.username == username)).first():
        raise click.ClickException(f"user {username} already exists")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        generated = False
    else:
        password = generate_password()
        generated = True
    try:
        password_hash = hash_password(password)
    except ValueError as error:
        raise click.ClickException(f"{error} (at least {MIN_PASSWORD_LENGTH})") from error
    user = User(username=username, role=role, password_hash=password_hash)
    db.session.add(user)
    db.session.flush()
    audit.record(db.session, "user.created", "cli", username=username, role=role)
    db.session.commit()
    click.echo(f"Created {username} ({role}).")
    if generated:
        click.echo(f"Password (shown once, store it now): {password}")


@users.command("list", help="List users and their roles.")
def list_users() -> None:
    for user in db.session.scalars(select(User).order_by(User.username)):
        state = "active" if user.active else "disabled"
        click.echo(f"{user.username:24} {user.role:10} {state}")


@users.command("set-role", help="Change a user's role.")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
def set_role(username: str, role: str) -> None:
    user = _user(username)
    old = user.role
    user.role = role
    user.end_sessions()  # pages already open must not keep the old rights
    audit.record(db.session, "user.role_changed", "cli", username=user.username, old=old, new=role)
    db.session.commit()
    click.echo(f"{user.username}: {old} -> {role}")


@users.command("disable", help="Disable a user (keeps their history).")
@click.argument("username")
def disable(username: str) -> None:
    user = _user(username)
    user.active = False
    user.end_sessions()
    audit.record(db.session, "user.disabled", "cli", username=user.username)
    db.session.commit()
    click.echo(f"{user.username} disabled")


@users.command("reset-password", help="Generate a new password and print it once.")
@click.argument("username")
def reset_password(username: str) -> None:
    user = _user(username)
    password = generate_password()
    user.password_hash = hash_password(password)
    user.end_sessions()
    audit.record(db.session, "user.password_reset", "cli", username=user.username)
    db.session.commit()
    click.echo(f"New password for {user.username} (shown once): {password}")


def _user(username: str) -> User:
    user = db.session.scalars(select(User).where(User.username == username.lower())).first()
    if user is None:
        raise click.ClickException(f"no user {username}")
    return user


@click.command(help="Fail runs whose worker died and re-queue lost tasks, once.")
def reap() -> None:
    from flask import current_app

    result = lifecycle.reap(db.session, current_app.config["PORTAL_SETTINGS"])
    db.session.commit()
    click.echo(
        f"failed={result.failed} redispatched={result.redispatched} promoted={result.promoted}"
    )
