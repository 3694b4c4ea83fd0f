"""Database tables of the portal (SQLAlchemy 2.x declarative; schema in migrations/).

The tables reference each other (runs and environments both ways), so the schema is kept
in one file that reads as a whole."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from portal.states import ACTIVE_STATES, RunState

BigId = BigInteger().with_variant(Integer, "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Role(StrEnum):
    VIEWER = "viewer"
    OPERATOR = "operator"
    APPROVER = "approver"
    ADMIN = "admin"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.VIEWER.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Part of every session cookie: raising it signs the user out everywhere.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # What a sign-in library asks of a user (flask-login's protocol, written out so the
    # domain does not depend on the web framework): inactive users are refused.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}.{self.session_generation or 0}"

    def end_sessions(self) -> None:
        """Invalidate every browser session of this user (API tokens are separate)."""
        self.session_generation = (self.session_generation or 0) + 1

    def role_for(self, environment: str | None) -> str:
        """The user's role on one environment: its grant if it has one, else the default
        role. Managing users is not per environment, so ``None`` gives the default."""
        if environment is not None:
            for grant in self.grants:
                if grant.environment_name == environment:
                    return grant.role
        return self.role

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


class RoleGrant(Base):
    """A role on one environment that replaces the user's default role there (e.g. operator
    on dev, viewer on prod)."""

    __tablename__ = "role_grants"
    __table_args__ = (
        UniqueConstraint("user_id", "environment_name", name="uq_role_grants_user_env"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    environment_name: Mapped[str] = mapped_column(ForeignKey("environments.name"))
    role: Mapped[str] = mapped_column(String(16))
    granted_by: Mapped[str] = mapped_column(String(64))
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(back_populates="grants")


class ApiToken(Base):
    """A bearer token for the JSON API. Only its SHA-256 is stored (tokens are random)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """Sign-in attempts, for throttling per user name + client address."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_lookup", "username", "remote_addr", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64))
    remote_addr: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Environment(Base):
    """A Terraform environment root (terraform/environments/<name>) and its run lock."""

    __tablename__ = "environments"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The run holding the environment: one run at a time, from planning until it ends.
    lock_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("runs.id", use_alter=True, name="fk_environments_lock_run_id")
    )
    locked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Whether the configuration keeps its state in a remote backend (S3), as discovery
    # read it from the .tf files; the worker goes by this instead of reading them again.
    remote_state: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Read through Terraform after each apply (`terraform output -json`, `terraform show
    # -json`): outputs with sensitive values already masked, and the resources in state.
    outputs: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    resources: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    state_read_run_id: Mapped[int | None] = mapped_column(Integer)
    state_read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when the state was moved out of the way (the local emulator starts empty), so
    # runs before it describe resources that no longer exist.
    state_set_aside_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    state_set_aside_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    lock_run: Mapped[Run | None] = relationship(foreign_keys=[lock_run_id])


class Run(Base):
    """One plan (and, once approved, apply) of one environment."""

    __tablename__ = "runs"
    __table_args__ = (Index("ix_runs_environment_state", "environment_name", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    environment_name: Mapped[str] = mapped_column(ForeignKey("environments.name"))
    state: Mapped[str] = mapped_column(String(32), default=RunState.QUEUED.value, index=True)
    message: Mapped[str] = mapped_column(String(500), default="")
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # Dispatch/worker bookkeeping. worker_token identifies the task execution that owns
    # the run, so a redelivered duplicate of the same task cannot run it twice.
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    apply_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    apply_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    worker_token: Mapped[str | None] = mapped_column(String(64))
    worker_host: Mapped[str | None] = mapped_column(String(255))
    cancel_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    force_cancel_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Why the run ended the way it did, and what to do next (shown on the run page).
    status_detail: Mapped[str] = mapped_column(Text, default="")
    # Grows by one with every change the run page shows (state moves, cancel and apply
    # requests). Live events carry it, so a browser applies them in order and never
    # shows an older state over a newer one.
    state_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    apply_requested_by: Mapped[User | None] = relationship(foreign_keys=[apply_requested_by_id])
    environment: Mapped[Environment] = relationship(foreign_keys=[environment_name])
    plan: Mapped[Plan | None] = relationship(back_populates="run", uselist=False)
    approvals: Mapped[list[Approval]] = relationship(
        back_populates="run", order_by="Approval.created_at"
    )

    @property
    def run_state(self) -> RunState:
        return RunState(self.state)

    @property
    def is_active(self) -> bool:
        return self.run_state in ACTIVE_STATES

    @property
    def before_state_set_aside(self) -> bool:
        """Made against a state that was set aside since (the previous local emulator)."""
        aside = self.environment.state_set_aside_at
        return aside is not None and self.created_at < aside


class Plan(Base):
    """The saved plan file of a run, with what it was made from."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(Integer)
    code_revision: Mapped[str] = mapped_column(String(64))
    state_serial: Mapped[int | None] = mapped_column(Integer)
    state_lineage: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    # `terraform show -no-color` of the saved plan: Terraform masks sensitive values in it.
    text: Mapped[str] = mapped_column(Text, default="", server_default="", deferred=True)
    has_changes: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    run: Mapped[Run] = relationship(back_populates="plan")


class Approval(Base):
    """An approver's decision on one exact plan (by hash), one per approver and run.
    Written only by the server."""

    __tablename__ = "approvals"
    __table_args__ = (
        UniqueConstraint("run_id", "user_id", name="uq_approvals_one_decision_per_user"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(16))  # approved | rejected
    comment: Mapped[str] = mapped_column(Text, default="")
    plan_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    run: Mapped[Run] = relationship(back_populates="approvals")
    user: Mapped[User] = relationship()


class RunLogLine(Base):
    """One line of Terraform output. ``offset`` counts lines per run from 1, in order."""

    __tablename__ = "run_log_lines"
    __table_args__ = (UniqueConstraint("run_id", "offset", name="uq_run_log_lines_offset"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    offset: Mapped[int] = mapped_column(Integer)
    phase: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEvent(Base):
    """Append-only record of every action. The app never updates or deletes rows, and a
    PostgreSQL trigger (migrations) rejects UPDATE, DELETE and TRUNCATE as well."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_at", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Kept as text too so the record reads the same even if the user is renamed.
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    environment_name: Mapped[str | None] = mapped_column(String(64), index=True)
    run_id: Mapped[int | None] = mapped_column(Integer, index=True)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AuditLogIsAppendOnly(RuntimeError):  # noqa: N818 - reads as the rule
    pass


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _context: object, _instances: object) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogIsAppendOnly("audit events are append-only: they cannot be changed")
