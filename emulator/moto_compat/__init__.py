"""Compatibility layer between moto server and the hashicorp/aws provider.

moto is a faithful-enough AWS emulator for our apply/re-plan/destroy proof, but some
of its responses differ from AWS in ways the provider notices. Each fix patches moto
(never the platform's Terraform code), lives in the module of its AWS service, names
the provider symptom it removes, and has a test in tests/emulator/ that runs against
the patched server and against moto with that one fix left out (which must still be
wrong; when it is not, moto fixed it upstream and the fix can go).

Fixes and extensions. A *fix* makes a response moto already gives match AWS's. An
*extension* adds behaviour moto lacks altogether, still reached only through AWS's
own API shapes, so client code runs unchanged against AWS:

* ``codepipeline_engine`` (``codepipeline_execution_engine``): pipelines really run
  (S3 source copied into the artifact store, CodeBuild actions as jobs for a local
  worker via PollForJobs/AcknowledgeJob/PutJob*Result, manual approvals with SNS
  notification, GetPipelineState, ListActionExecutions, StopPipelineExecution) and
  emit AWS's ``aws.codepipeline`` state-change events. Its one API deviation:
  PollForJobs serves ``owner: "AWS"`` CodeBuild actions (AWS polls only Custom ones).
* ``eventbridge_delivery`` (``events_deliver_to_sns_and_api_destinations``):
  EventBridge rules deliver to SNS topics and API destinations (connection auth
  headers, input transformers) on a background thread.

Each extension documents its contract and its differences from AWS in its module
docstring, and is tested in tests/emulator/ including once with it left out.

Call :func:`apply` once, before moto serves its first request.
"""

from __future__ import annotations

import os
from collections.abc import Callable

# Names of fixes to leave out, comma-separated (tests, and maintainers after a moto
# upgrade, use it to see whether a fix is still needed).
SKIP_VARIABLE = "MOTO_COMPAT_SKIP"

FIXES: list[Callable[[], None]] = []
APPLIED: list[str] = []


def fix(func: Callable[[], None]) -> Callable[[], None]:
    """Register a compatibility fix; it runs when :func:`apply` is called."""
    FIXES.append(func)
    return func


def apply() -> list[str]:
    """Apply every registered fix once (except skipped ones); returns their names."""
    from emulator.moto_compat import (  # noqa: F401 - importing registers the fixes
        autoscaling,
        budgets,
        codebuild,
        codepipeline,
        codepipeline_engine,
        ec2,
        efs,
        elbv2,
        eventbridge_delivery,
        rds,
        s3,
        vpc,
    )

    skipped = {name.strip() for name in os.environ.get(SKIP_VARIABLE, "").split(",")}
    for func in FIXES:
        if func.__name__ not in APPLIED and func.__name__ not in skipped:
            func()
            APPLIED.append(func.__name__)
    return list(APPLIED)
