"""The platform's IAM policies: collect them from Terraform state, lint them, and
apply the bootstrap root (the deployer's policies) on an emulator.

* :func:`collect_policies` finds every policy document in ``terraform show -json``
  output (state or plan): identity policies (``aws_iam_policy``,
  ``aws_iam_role_policy``, ...) and resource policies (role trust policies, bucket,
  key, topic and file system policies).
* :func:`lint` runs parliament (https://github.com/duo-labs/parliament) on each, with
  its community auditors off. Parliament checks statements with a ``Principal`` as
  resource policies; there is no separate mode.
* Justified findings live next to the policy, in ``policy-lint.yaml`` of the module
  (or root) that declares the resource: a list of ``{policy, issue, action?,
  reason}``. ``policy`` is the resource address inside that module, e.g.
  ``aws_iam_policy.this["ec2"]`` (``fnmatch`` wildcards allowed); ``action``, if
  given, must appear in the finding's detail or location. :func:`unjustified`
  returns findings no entry covers, :func:`stale` entries no finding matches.
* Trust policies (``assume_role_policy``) have no ``Resource`` by definition, and
  parliament has no trust-policy mode: its "Statement contains neither Resource nor
  NotResource" finding is dropped for them (:data:`TRUST_POLICY_NOISE`), nothing else.
  Findings that repeat word for word (parliament reports some once per action) are
  counted once.

Why state and not a plan: at plan time most of these documents name ARNs of
resources not created yet (bucket, topic, file system, key), so their JSON is
unknown; the integration suite lints the applied state instead, at no extra apply.
"""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tools import TERRAFORM_DIR
from tools.terraform import terraform_env

BOOTSTRAP_DIR = TERRAFORM_DIR / "bootstrap"
MODULES_DIR = TERRAFORM_DIR / "modules"
JUSTIFICATIONS_FILE = "policy-lint.yaml"

# Resource type => (attribute holding a policy document, kind).
POLICY_ATTRIBUTES: dict[str, tuple[tuple[str, str], ...]] = {
    "aws_iam_policy": (("policy", "identity"),),
    "aws_iam_role_policy": (("policy", "identity"),),
    "aws_iam_user_policy": (("policy", "identity"),),
    "aws_iam_group_policy": (("policy", "identity"),),
    "aws_iam_role": (("assume_role_policy", "trust"),),
    "aws_s3_bucket_policy": (("policy", "resource"),),
    "aws_kms_key": (("policy", "resource"),),
    "aws_sns_topic": (("policy", "resource"),),
    "aws_sns_topic_policy": (("policy", "resource"),),
    "aws_sqs_queue_policy": (("policy", "resource"),),
    "aws_efs_file_system_policy": (("policy", "resource"),),
    "aws_secretsmanager_secret_policy": (("policy", "resource"),),
    "aws_ecr_repository_policy": (("policy", "resource"),),
}


@dataclass(frozen=True)
class PolicyDocument:
    address: str  # full resource address, e.g. module.platform.module.web.aws_iam_role_policy.web
    attribute: str
    kind: str  # identity, trust or resource
    document: str | None  # None: unknown (a plan) or empty
    root: Path  # the root module directory the address is relative to

    @property
    def module_dir(self) -> Path:
        """The directory declaring the resource: follow the address's module calls from
        the root through each caller's ``module "<name>" { source = ... }`` block."""
        directory = self.root
        for call in re.findall(r"module\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.", self.address):
            directory = _module_source(directory, call)
        return directory

    @property
    def local_address(self) -> str:
        """The address inside the declaring module (module.x.... prefix removed)."""
        return re.sub(r"^(module\.[^.]+(\[[^\]]*\])?\.)+", "", self.address)

    @property
    def name(self) -> str:
        return f"{self.address}.{self.attribute}"


def _module_source(caller: Path, name: str) -> Path:
    """The directory of ``module "<name>"`` called from the module in ``caller``."""
    block = re.compile(
        r'module\s+"' + re.escape(name) + r'"\s*\{(?:[^{}]|\{[^{}]*\})*?source\s*=\s*"([^"]+)"',
        re.S,
    )
    for path in sorted(caller.glob("*.tf")):
        match = block.search(path.read_text())
        if match:
            return (caller / match.group(1)).resolve()
    raise LookupError(f"no module {name!r} called in {caller}")


def _walk(module: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _walk(child)


def collect_policies(show_json: Mapping[str, Any], root: Path) -> list[PolicyDocument]:
    """Every policy document of a ``terraform show -json`` answer (state or plan)."""
    values = show_json.get("values") or show_json.get("planned_values") or {}
    found = []
    for resource in _walk(values.get("root_module", {})):
        if resource.get("mode") != "managed":
            continue
        for attribute, kind in POLICY_ATTRIBUTES.get(resource["type"], ()):
            document = (resource.get("values") or {}).get(attribute) or None
            found.append(PolicyDocument(resource["address"], attribute, kind, document, root))
    return found


# --- Linting -------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    policy: PolicyDocument
    issue: str
    severity: str
    detail: str
    location: str

    def __str__(self) -> str:
        return (
            f"{self.policy.module_dir.relative_to(TERRAFORM_DIR)}: "
            f"{self.policy.local_address}.{self.policy.attribute}: "
            f"{self.severity} {self.issue} {self.detail} {self.location}".rstrip()
        )


@dataclass(frozen=True)
class Justification:
    file: Path
    policy: str
    issue: str
    reason: str
    action: str | None = None

    def covers(self, finding: Finding) -> bool:
        if finding.policy.module_dir != self.file.parent:
            return False
        address = finding.policy.local_address
        # Exact first: index keys like this["ec2"] read as character classes to fnmatch.
        if address != self.policy and not fnmatch.fnmatchcase(address, self.policy):
            return False
        if finding.issue != self.issue:
            return False
        if self.action is None:
            return True
        subject = f"{finding.detail} {finding.location}".lower()
        return self.action.lower() in subject

    def __str__(self) -> str:
        what = f" {self.action}" if self.action else ""
        return f"{self.file.relative_to(TERRAFORM_DIR)}: {self.policy} {self.issue}{what}"


TRUST_POLICY_NOISE = ("MALFORMED", "Statement contains neither Resource nor NotResource")


def lint(policies: Iterable[PolicyDocument]) -> list[Finding]:
    """parliament's findings for every known document (community auditors off),
    without repeats and without :data:`TRUST_POLICY_NOISE` on trust policies."""
    from parliament import analyze_policy_string, enhance_finding

    findings: list[Finding] = []
    for policy in policies:
        if policy.document is None:
            continue
        analyzed = analyze_policy_string(policy.document, include_community_auditors=False)
        for raw in analyzed.findings:
            enhanced = enhance_finding(raw)
            finding = Finding(
                policy,
                enhanced.issue,
                str(enhanced.severity),
                str(enhanced.detail or ""),
                json.dumps(enhanced.location, sort_keys=True, default=str)
                if enhanced.location
                else "",
            )
            if policy.kind == "trust" and (finding.issue, finding.detail) == TRUST_POLICY_NOISE:
                continue
            if finding not in findings:
                findings.append(finding)
    return findings


def load_justifications(paths: Iterable[Path]) -> list[Justification]:
    """The entries of ``policy-lint.yaml`` files; each needs policy, issue and a reason."""
    import yaml

    entries = []
    for path in paths:
        for item in yaml.safe_load(path.read_text()) or []:
            missing = {"policy", "issue", "reason"} - {k for k, v in item.items() if v}
            if missing:
                raise ValueError(f"{path}: entry {item} lacks {', '.join(sorted(missing))}")
            entries.append(
                Justification(
                    path.resolve(),
                    item["policy"],
                    item["issue"],
                    item["reason"],
                    item.get("action"),
                )
            )
    return entries


def justification_files() -> list[Path]:
    return sorted(p.resolve() for p in TERRAFORM_DIR.rglob(JUSTIFICATIONS_FILE))


def unjustified(findings: Iterable[Finding], justifications: list[Justification]) -> list[Finding]:
    return [f for f in findings if not any(j.covers(f) for j in justifications)]


def stale(findings: list[Finding], justifications: Iterable[Justification]) -> list[Justification]:
    return [j for j in justifications if not any(j.covers(f) for f in findings)]


# --- The bootstrap root on an emulator ------------------------------------------------


@dataclass
class BootstrapRun:
    """``terraform/bootstrap`` applied with ``aws_endpoint`` (state in ``workdir``).

    The bootstrap root has no backend block (local state in its directory by default),
    so state goes to ``workdir`` with ``-state``; its state bucket has
    ``prevent_destroy``, so this run is never destroyed: throw the emulator away.
    """

    workdir: Path
    variables: dict[str, str]
    log: IO[str] | None = None
    env: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.workdir = Path(self.workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.env = terraform_env()
        self.env["TF_DATA_DIR"] = str(self.workdir / ".terraform")
        for key, value in self.variables.items():
            self.env[f"TF_VAR_{key}"] = value

    @property
    def state_path(self) -> Path:
        return self.workdir / "terraform.tfstate"

    def _run(self, *args: str) -> str:
        result = subprocess.run(
            ["terraform", f"-chdir={BOOTSTRAP_DIR}", *args],
            env=self.env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if self.log:
            self.log.write(result.stdout + result.stderr)
            self.log.flush()
        if result.returncode != 0:
            tail = (result.stdout + result.stderr)[-4000:]
            raise RuntimeError(f"terraform {args[0]} of bootstrap failed:\n{tail}")
        return result.stdout

    def apply(self) -> None:
        self._run("init", "-input=false", "-no-color")
        self._run(
            "apply", "-input=false", "-no-color", "-auto-approve", f"-state={self.state_path}"
        )

    def outputs(self) -> dict[str, Any]:
        answer = json.loads(self._run("output", "-json", f"-state={self.state_path}"))
        return {name: item["value"] for name, item in answer.items()}

    def show(self) -> dict[str, Any]:
        return dict(json.loads(self._run("show", "-json", str(self.state_path))))


def show_state(config_dir: Path, env: Mapping[str, str]) -> dict[str, Any]:
    """``terraform show -json`` of a root's current state."""
    result = subprocess.run(
        ["terraform", f"-chdir={config_dir}", "show", "-json"],
        env=dict(env),
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(result.stdout))
