"""Runs and environment locks: everything that changes them, for the web app, the API,
the worker and the reaper alike. Callers commit; tasks and live events go out after
commit. One module per concern:

- ``environments``: discovery of ``terraform/environments/<name>``, readiness, state set aside
- ``queue``: the environment lock and the queue of runs waiting for it
- ``transitions``: moving a run between states (conditional, audited, published)
- ``actions``: what users ask (plan, approve/reject, apply, cancel, force-unlock)
- ``reaper``: dead workers, lost tasks, free environments
"""

from portal.lifecycle.actions import (
    approve,
    approvers_of,
    can_approve,
    cancel,
    force_unlock,
    reject,
    request_apply,
    request_plan,
)
from portal.lifecycle.environments import (
    environment_names,
    find_environment,
    readiness_problem,
    record_state_set_aside,
    sync_environments,
)
from portal.lifecycle.errors import (
    LOCK_GUIDANCE,
    Conflict,
    NotAllowed,
    NotFound,
    RunError,
    not_allowed_message,
    now_utc,
    require,
)
from portal.lifecycle.queue import promote_next, release_lock
from portal.lifecycle.reaper import ReapResult, reap
from portal.lifecycle.transitions import bump_seq, move

__all__ = [
    "LOCK_GUIDANCE",
    "Conflict",
    "NotAllowed",
    "NotFound",
    "ReapResult",
    "RunError",
    "approve",
    "approvers_of",
    "bump_seq",
    "can_approve",
    "cancel",
    "environment_names",
    "find_environment",
    "force_unlock",
    "move",
    "not_allowed_message",
    "now_utc",
    "promote_next",
    "readiness_problem",
    "reap",
    "record_state_set_aside",
    "reject",
    "release_lock",
    "request_apply",
    "request_plan",
    "require",
    "sync_environments",
]
