# Every task of the project. `make help` lists them; README.md explains the two that
# matter first: `make run` (the portal, locally) and `make test` (everything CI runs).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON_BOOT ?= python3
VENV        := .venv
PY          := $(VENV)/bin/python
CHECKOV_VENV := .cache/checkov-venv
CHECKOV     := $(CHECKOV_VENV)/bin/checkov
STAMP       := $(VENV)/.installed

# Offline-capable Terraform: CLI config with the provider mirror and a plugin cache.
export CHECKPOINT_DISABLE := 1
export AWS_EC2_METADATA_DISABLED := true
export TF_CLI_CONFIG_FILE := $(CURDIR)/.cache/terraformrc
export TF_IN_AUTOMATION := 1

TF_DIRS := $(shell find terraform -name versions.tf -not -path '*/.terraform/*' -exec dirname {} \; | sort)

##@ Main jobs
.PHONY: help
help: ## List every target
	@awk 'BEGIN {FS = ":.*##"} /^##@/ {printf "\n%s\n", substr($$0, 5)} /^[a-zA-Z0-9_-]+:.*##/ {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: run
run: $(STAMP) tf-config ## Run the portal locally: web, worker, Redis, PostgreSQL, AWS emulator (Ctrl-C stops all)
	$(PY) -m tools.portal_run

.PHONY: demo
demo: $(STAMP) tf-config ## Deploy the whole platform on the local AWS emulator, verify it, print a summary
	$(PY) -m tools.demo up

.PHONY: down
down: $(STAMP) ## Destroy the demo platform and stop the emulator
	$(PY) -m tools.demo down

.PHONY: status
status: $(STAMP) ## Show whether the demo emulator runs and what it holds
	$(PY) -m tools.demo status

.PHONY: pipeline
pipeline: $(STAMP) tf-config ## Run the delivery pipeline offline: bootstrap on an emulator, then Source to Smoke of local (waits at the approval)
	$(PY) -m tools.pipeline run

.PHONY: pipeline-approve
pipeline-approve: $(STAMP) ## Approve the pipeline's waiting approval (REJECT=1 rejects it)
	$(PY) -m tools.pipeline approve $(if $(REJECT),--reject)

.PHONY: pipeline-down
pipeline-down: $(STAMP) ## Stop the pipeline's emulator (and forget what it held)
	$(PY) -m tools.pipeline down

##@ Pipeline stages (what the CodeBuild projects run; see buildspecs/)
.PHONY: ci-plan
ci-plan: $(STAMP) tf-config ## Plan TARGET_ENVIRONMENT into .pipeline/plan (the Plan stage)
	$(PY) -m tools.pipeline_stage plan

.PHONY: ci-apply
ci-apply: $(STAMP) tf-config ## Apply the approved saved plan of TARGET_ENVIRONMENT (the Apply stage)
	$(PY) -m tools.pipeline_stage apply

.PHONY: ci-smoke
ci-smoke: $(STAMP) tf-config ## Smoke-test TARGET_ENVIRONMENT after its apply (the Smoke stage)
	$(PY) -m tools.pipeline_stage smoke

##@ Tests (make test runs all of them; CI runs make test)
.PHONY: test
test: fmt-check lint validate checkov tftest pytest ## Everything: static checks, terraform tests, pytest (unit, emulator, portal)

.PHONY: fmt-check
fmt-check: tf-config ## terraform fmt -check over the repository
	terraform fmt -check -recursive -diff terraform

.PHONY: fmt
fmt: $(STAMP) ## Format Terraform and Python code in place
	terraform fmt -recursive terraform
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

.PHONY: lint
lint: $(STAMP) ## ruff, mypy (the portal's packages), yamllint, shellcheck
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/yamllint -s buildspec.yml buildspecs docker-compose.yml .pre-commit-config.yaml .yamllint
	shellcheck .ci/run buildspecs/*.sh

.PHONY: validate
validate: $(STAMP) tf-config ## terraform init + validate of every module and environment; any warning fails
	$(PY) -m tools.checks validate

.PHONY: checkov
checkov: $(CHECKOV) $(STAMP) ## checkov over all Terraform code: zero failed checks, no unparsed file, skips only inline with a reason
	@mkdir -p .cache
	$(CHECKOV) -d terraform --framework terraform --skip-download --compact --quiet \
	  --skip-path '\.terraform' --config-file .checkov.yaml \
	  -o cli -o json --output-file-path console,.cache/checkov.json
	$(PY) -m tools.checks checkov-report .cache/checkov.json

.PHONY: tftest
tftest: $(STAMP) tf-config ## terraform test (mock provider) in every module
	$(PY) -m tools.checks tftest

.PHONY: pytest
pytest: $(STAMP) tf-config ## pytest: unit, emulator compat, whole-platform integration, portal
	$(PY) -m pytest

.PHONY: test-unit
test-unit: $(STAMP) ## Fast tests only: no emulator, no services, no Terraform (seconds)
	$(PY) -m pytest tests/unit

.PHONY: test-emulator
test-emulator: $(STAMP) ## The emulator's compatibility layer against a real emulator server
	$(PY) -m pytest tests/emulator

.PHONY: test-integration
test-integration: $(STAMP) tf-config ## Apply the whole platform on the emulator, read it back, re-plan, destroy
	$(PY) -m pytest tests/integration

.PHONY: test-portal
test-portal: $(STAMP) tf-config ## Portal tests against real PostgreSQL, Redis, Celery worker and Chromium
	$(PY) -m pytest tests/portal

.PHONY: test-stress
test-stress: $(STAMP) tf-config ## Portal and browser suites beside two CPU burners, three rounds in a row
	$(PY) -m tools.stress --rounds 3 --burners 2 tests/portal

##@ Measurements
.PHONY: bench
bench: $(STAMP) tf-config ## Median init/apply/plan/destroy seconds of the local platform on the emulator
	$(PY) -m tools.bench

.PHONY: bench-portal
bench-portal: $(STAMP) tf-config ## Portal queue, log and page latency next to a raw terraform plan
	$(PY) -m tools.bench_portal

.PHONY: cost
cost: $(STAMP) ## Monthly cost estimate per environment (docs/cost/profiles) from docs/cost/prices.csv
	@for profile in docs/cost/profiles/*.json; do \
	  echo "== $$profile"; $(PY) -m tools.cost --profile "$$profile"; echo; \
	done

##@ Set-up and housekeeping
.PHONY: venv
venv: $(STAMP) ## Create .venv with the project and its test tools

$(STAMP): pyproject.toml
	$(PYTHON_BOOT) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

$(CHECKOV): requirements/checkov.txt
	$(PYTHON_BOOT) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet -r requirements/checkov.txt
	touch $@

.PHONY: tf-config
tf-config: $(STAMP)
	@$(PY) -m tools.terraform check >/dev/null

.PHONY: clean
clean: ## Remove caches, .terraform directories and local run state (not the venv)
	find terraform -name .terraform -type d -prune -exec rm -rf {} +
	rm -rf .cache/test-artifacts .cache/bench .pytest_cache .ruff_cache
	@echo "warning: removing .run/ (local database, credentials, emulator state); stop make run first"
	rm -rf .run
