"""One phase (plan or apply) of one run on this worker.

Idempotent: it first *claims* its run with a conditional update (queued -> planning,
approved -> applying) that records a fresh worker token. A duplicate delivery (acks_late
redelivers after a worker restart) finds the run already claimed or finished and does
nothing; a run whose worker died is failed by the reaper, never re-run behind the user's
back.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import socket
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from portal import audit, db, lifecycle
from portal.lifecycle import Conflict, now_utc
from portal.models import Approval, Environment, Plan, Run
from portal.plan_checks import (
    PlanRefused,
    PlanTampered,
    StateVersion,
    check_fresh,
    check_integrity,
    check_not_expired,
    plan_digest,
)
from portal.plan_summary import has_changes, summarize
from portal.settings import Settings
from portal.states import Phase, RunState
from portal.terraform_cli import terraform_env
from worker.heartbeat import Heartbeat
from worker.log_sink import LogSink
from worker.runner import Control, Outcome, run_captured, run_streaming
from worker.state_readback import masked_outputs, state_resources
from worker.workspace import copy_tree, tree_digest

log = logging.getLogger(__name__)
S = RunState
PASSED_THROUGH = (
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "SSL_CERT_FILE",
    "TF_PLUGIN_MIRROR",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
)
STALE_MARKER = "Saved plan is stale"


def phase_timeout(settings: Settings, phase: Phase) -> int:
    return settings.plan_timeout if phase is Phase.PLAN else settings.apply_timeout


def awaiting_detail(required: int, requester: str) -> str:
    if required == 1:
        return f"Waiting for an approver other than {requester}."
    return f"Waiting for {required} distinct approvers other than {requester}."


class RunFailed(Exception):  # noqa: N818
    def __init__(self, state: RunState, detail: str):
        super().__init__(detail)
        self.state, self.detail = state, detail


class Execution:
    """One phase (plan or apply) of one run on this worker."""

    def __init__(self, run_id: int, phase: Phase, settings: Settings):
        self.run_id = run_id
        self.phase = phase
        self.settings = settings
        self.token = secrets.token_hex(16)
        self.control = Control()
        self.host = socket.gethostname()
        self.timeout = phase_timeout(settings, phase)
        self.deadline = 0.0
        self.workdir: Path | None = None
        self._sink: LogSink | None = None

    @property
    def sink(self) -> LogSink:
        """The run's log; there from the claim on (nothing is written before it)."""
        assert self._sink is not None, "the run was not claimed"
        return self._sink

    # --- claim and finish ---------------------------------------------------------------

    def claim(self) -> Run | None:
        source, target = self.phase.claim
        session = db.session()
        run = session.get_one(Run, self.run_id)
        if run is None or run.state != source.value:
            log.info(
                "run %s is %s; nothing to do for %s",
                self.run_id,
                run.state if run else "missing",
                self.phase,
            )
            return None
        if self.phase is Phase.PLAN and run.environment.lock_run_id != run.id:
            log.info("run %s is waiting for the %s lock", run.id, run.environment_name)
            return None
        if self.phase is Phase.APPLY and run.apply_requested_at is None:
            return None
        now = now_utc()
        try:
            lifecycle.move(
                session,
                run,
                target,
                actor=f"worker@{self.host}",
                detail=f"{'Planning' if self.phase is Phase.PLAN else 'Applying'} on {self.host}.",
                worker_token=self.token,
                worker_host=self.host,
                heartbeat_at=now,
                started_at=run.started_at or now,
                cancel_requested_at=None,
                force_cancel_requested_at=None,
            )
            session.commit()
        except Conflict:
            session.rollback()
            return None
        return run

    def finish(self, target: RunState, detail: str, **fields: object) -> None:
        session = db.session()
        run = session.get_one(Run, self.run_id)
        session.refresh(run)
        try:
            lifecycle.move(
                session,
                run,
                target,
                actor=f"worker@{self.host}",
                detail=detail,
                expect_token=self.token,
                **fields,
            )
            session.commit()
        except Conflict:
            session.rollback()
            log.warning("run %s was moved by someone else; not marking it %s", run.id, target)

    # --- the phases --------------------------------------------------------------------

    def run(self) -> None:
        try:
            run = self.claim()
            if run is None:
                return
            self.deadline = time.monotonic() + self.timeout
            self._sink = LogSink(
                run.id, self.phase, self.settings.secret_values(run.environment_name)
            )
            heartbeat = Heartbeat(
                run.id, self.token, self.control, self.settings.heartbeat_interval
            )
            heartbeat.start()
            try:
                if self.phase is Phase.PLAN:
                    self.plan(run)
                else:
                    self.apply(run)
            except RunFailed as failure:
                self.finish(failure.state, failure.detail)
            except Exception as error:  # noqa: BLE001 - anything else: fail with guidance
                log.exception("run %s crashed", run.id)
                self.finish(
                    S.FAILED,
                    f"The worker hit an internal error: {error!r}. Nothing more "
                    "will happen in this run; start a new plan. " + lifecycle.LOCK_GUIDANCE,
                )
            finally:
                heartbeat.stop()
                if self.workdir is not None:
                    shutil.rmtree(self.workdir, ignore_errors=True)
        finally:
            db.session.remove()

    def prepare(self, run: Run) -> tuple[Path, dict[str, str], str]:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.workdir = self.settings.data_dir / "runs" / f"{run.id}-{self.phase}-{self.token[:8]}"
        source = self.workdir / "src"
        for relative in self.settings.workspace_paths:
            if (self.settings.source_dir / relative).is_dir():
                copy_tree(self.settings.source_dir / relative, source / relative)
        revision = tree_digest(source)
        base = {k: os.environ[k] for k in PASSED_THROUGH if k in os.environ}
        env = terraform_env(base, self.settings.terraform_cache_dir)
        env["TF_DATA_DIR"] = str(self.workdir / "tf-data")
        env["TF_IN_AUTOMATION"] = "1"
        env.update(self.settings.terraform_settings(run.environment_name))
        root = source / "terraform" / "environments" / run.environment_name
        self.sink.note(
            f"run #{run.id} {self.phase} of {run.environment_name} on {self.host}, "
            f"code {revision[:12]}, isolated in {self.workdir.name}"
        )
        return root, env, revision

    def terraform(self, root: Path, env: dict[str, str], *args: str) -> Outcome:
        argv = [self.settings.terraform_binary, *args]
        self.sink.note("$ terraform " + " ".join(args))
        outcome = run_streaming(
            argv,
            cwd=root,
            env=env,
            on_lines=self.sink.write,
            control=self.control,
            deadline=self.deadline,
            kill_grace=self.settings.cancel_grace,
        )
        if outcome.returncode == 0 and not outcome.interrupted:
            return outcome
        if self.control.lost:
            raise RunFailed(S.FAILED, "The run was ended elsewhere while Terraform ran.")
        if outcome.timed_out:
            raise RunFailed(
                S.FAILED,
                (
                    f"terraform {args[0]} exceeded the {self.phase} timeout of {self.timeout}s and "
                    f"was stopped{' by force' if outcome.killed else ''}. {lifecycle.LOCK_GUIDANCE}"
                ),
            )
        if outcome.interrupted:
            how = "killed (force cancel)" if outcome.killed else "interrupted and stopped cleanly"
            raise RunFailed(
                S.CANCELLED,
                f"Cancelled: Terraform was {how} during {args[0]}. "
                + (
                    ""
                    if self.phase is Phase.PLAN
                    else "Some changes may have been "
                    "applied; start a new plan to see what remains. "
                )
                + (lifecycle.LOCK_GUIDANCE if outcome.killed else ""),
            )
        tail = "\n".join(self.sink.tail)
        if self.phase is Phase.APPLY and STALE_MARKER in tail:
            raise RunFailed(
                S.DISCARDED,
                "Terraform refused the saved plan as stale (the state "
                "changed since it was made). Nothing was applied; start a new plan.",
            )
        raise RunFailed(
            S.FAILED,
            f"terraform {args[0]} failed (exit {outcome.returncode}). Last output:\n{tail}",
        )

    def init(self, run: Run, root: Path, env: dict[str, str]) -> StateVersion:
        args = ["init", "-input=false", "-no-color", "-lock-timeout=60s"]
        if not run.environment.remote_state:
            # Local state lives outside the run directory, in one place per environment.
            state = self.settings.data_dir / "state" / run.environment_name
            state = state / "terraform.tfstate"
            state.parent.mkdir(parents=True, exist_ok=True)
            args.append(f"-backend-config=path={state}")
        self.terraform(root, env, *args)
        state_doc = self.terraform_json(root, env, "state", "pull")
        if not state_doc:
            return StateVersion(None, None)
        return StateVersion(int(state_doc.get("serial", 0)), state_doc.get("lineage"))

    def plan(self, run: Run) -> None:
        root, env, revision = self.prepare(run)
        state = self.init(run, root, env)
        self.sink.note(f"state before plan: {state.describe()}")
        self.terraform(
            root, env, "plan", "-out=plan.bin", "-input=false", "-no-color", "-lock-timeout=60s"
        )
        summary = summarize(self.terraform_json(root, env, "show", "-json", "plan.bin"))
        # The reviewer's full text view; Terraform masks sensitive values in it itself.
        plan_text = self.terraform_output(root, env, "show", "-no-color", "plan.bin")
        data = (root / "plan.bin").read_bytes()
        changes = has_changes(summary)
        session = db.session()
        session.add(
            Plan(
                run_id=run.id,
                sha256=plan_digest(data),
                data=data,
                size=len(data),
                code_revision=revision,
                state_serial=state.serial,
                state_lineage=state.lineage,
                summary=summary,
                text=plan_text.decode("utf-8", errors="replace"),
                has_changes=changes,
            )
        )
        session.flush()
        self.sink.note(
            f"saved plan {plan_digest(data)[:12]}: +{summary['add']} "
            f"~{summary['change']} -{summary['destroy']}"
        )
        run = session.get_one(Run, run.id)
        lifecycle.move(
            session,
            run,
            S.PLANNED,
            actor=f"worker@{self.host}",
            expect_token=self.token,
            detail="Plan saved.",
        )
        if changes:
            lifecycle.move(
                session,
                run,
                S.AWAITING_APPROVAL,
                actor=f"worker@{self.host}",
                detail=awaiting_detail(
                    self.settings.approvals_required(run.environment_name),
                    run.requested_by.username,
                ),
            )
        else:
            lifecycle.move(
                session,
                run,
                S.NO_CHANGES,
                actor=f"worker@{self.host}",
                detail="No changes: the infrastructure matches the code.",
            )
        session.commit()

    def apply(self, run: Run) -> None:
        session = db.session()
        plan = session.scalars(select(Plan).where(Plan.run_id == run.id)).one()
        approvals = session.scalars(
            select(Approval)
            .where(Approval.run_id == run.id, Approval.decision == "approved")
            .order_by(Approval.created_at)
        ).all()
        required = self.settings.approvals_required(run.environment_name)
        if len({a.user_id for a in approvals}) < required:
            raise RunFailed(
                S.FAILED,
                f"{len(approvals)} approval(s) recorded where {run.environment_name} needs "
                f"{required}; refusing to apply.",
            )
        root, env, revision = self.prepare(run)
        try:
            for approval in approvals:
                check_integrity(plan.data, plan.sha256, approval.plan_sha256)
            check_not_expired(plan.created_at, now_utc(), self.settings.plan_max_age)
            state = self.init(run, root, env)
            check_fresh(
                planned_revision=plan.code_revision,
                current_revision=revision,
                planned_state=StateVersion(plan.state_serial, plan.state_lineage),
                current_state=state,
            )
            plan_file = root / "plan.bin"
            plan_file.write_bytes(plan.data)
            # Read back what Terraform will read: the approved bytes and nothing else.
            for approval in approvals:
                check_integrity(plan_file.read_bytes(), plan.sha256, approval.plan_sha256)
        except PlanRefused as refusal:
            self.sink.note(f"refused: {refusal}")
            audit.record(
                session,
                f"plan.{refusal.kind}",
                f"worker@{self.host}",
                environment=run.environment_name,
                run_id=run.id,
                reason=str(refusal),
            )
            session.commit()
            target = S.FAILED if isinstance(refusal, PlanTampered) else S.DISCARDED
            raise RunFailed(target, str(refusal)) from refusal
        self.sink.note(
            f"applying approved plan {plan.sha256[:12]} (approved by "
            f"{', '.join(a.user.username for a in approvals)})"
        )
        self.terraform(
            root, env, "apply", "-input=false", "-no-color", "-lock-timeout=60s", "plan.bin"
        )
        self.record_state(run, root, env)
        self.finish(S.APPLIED, f"Applied plan {plan.sha256[:12]}.")

    def record_state(self, run: Run, root: Path, env: dict[str, str]) -> None:
        """Keep what the environment page shows: the outputs (sensitive ones masked) and
        the resources now in state, as Terraform reports them. The apply has succeeded by
        now, so a failure here is noted in the log and does not fail the run."""
        try:
            outputs = masked_outputs(
                self.terraform_json(root, env, "output", "-json"),
                self.settings.secret_values(run.environment_name),
            )
            resources = state_resources(self.terraform_json(root, env, "show", "-json"))
        except RunFailed as error:
            self.sink.note(f"could not read the outputs and resources after apply: {error}")
            return
        session = db.session()
        environment = session.get_one(Environment, run.environment_name, with_for_update=True)
        environment.outputs = outputs
        environment.resources = resources
        environment.state_read_run_id = run.id
        environment.state_read_at = now_utc()
        session.commit()
        self.sink.note(f"recorded {len(outputs)} outputs and {len(resources)} resources in state")

    def terraform_output(self, root: Path, env: dict[str, str], *args: str) -> bytes:
        """A short Terraform command whose output is data, not log (show, state pull)."""
        code, out, err = run_captured(
            [self.settings.terraform_binary, *args], cwd=root, env=env, timeout=300
        )
        if code != 0:
            raise RunFailed(S.FAILED, f"terraform {' '.join(args)} failed: {err[-2000:]}")
        return out

    def terraform_json(self, root: Path, env: dict[str, str], *args: str) -> Any:
        out = self.terraform_output(root, env, *args)
        return json.loads(out) if out.strip() else {}
