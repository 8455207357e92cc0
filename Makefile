# Entry points on a fresh machine (Python >= 3.11 and Node.js >= 20 on PATH):
#   make synth   set up .venv and synthesize every environment into cdktf.out/
#   make test    set up .venv, .venv-checkov and .venv-seed-code, then run the whole test suite
#   make sandbox apply the platform into a local simulated organization (Terraform >= 1.10 and
#                the hashicorp/aws provider: TF_PROVIDER_MIRROR or the registry) and walk one
#                model to production; `make sandbox-down` removes it
PYTHON ?= python3
VENV := .venv
CHECKOV_VENV := .venv-checkov
SEED_VENV := .venv-seed-code
SEED_REQUIREMENTS := modules/service-catalog-portfolios/seed-code/model-build/requirements.txt
PIP_FLAGS := --quiet --disable-pip-version-check
CONSTRAINTS := requirements/constraints.txt

.PHONY: synth test lint bench clean sandbox sandbox-down deployment-wheels deployment-build-lock

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Composition and the `mlgov` command ($(VENV)/bin/mlgov): cdktn, constructs, python-hcl2, boto3.
$(VENV)/.synth-deps: $(VENV)/bin/python pyproject.toml $(CONSTRAINTS)
	$(VENV)/bin/pip install $(PIP_FLAGS) -c $(CONSTRAINTS) -e .
	touch $@

# Lambdas, the sandbox and tests: moto, pytest, Powertools, ruff, mypy.
$(VENV)/.dev-deps: $(VENV)/.synth-deps
	$(VENV)/bin/pip install $(PIP_FLAGS) -c $(CONSTRAINTS) -e '.[dev]'
	touch $@

# checkov lives in its own venv: it and python-hcl2 8 both install a top-level `hcl2` module.
$(CHECKOV_VENV)/.deps: requirements/checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install $(PIP_FLAGS) -r requirements/checkov.txt
	touch $@

# The seed code of SageMaker projects and its tests (tests/seed_code/suite) have their own venv:
# the sagemaker v3 SDK conflicts with moto[all,server] (graphql-core through mlflow and graphene).
$(SEED_VENV)/.deps: $(SEED_REQUIREMENTS) requirements/seed-code-tests.txt
	$(PYTHON) -m venv $(SEED_VENV)
	$(SEED_VENV)/bin/pip install $(PIP_FLAGS) -r $(SEED_REQUIREMENTS) -r requirements/seed-code-tests.txt
	$(SEED_VENV)/bin/pip check
	touch $@

# The deployment pipeline's CodeBuild builds install the mlgov CLI's dependencies offline from the
# tooling bundle's wheelhouse/: synth packs these wheels, downloaded once per lock and checked
# against its hashes (pure-Python wheels for the builds' Python, var.codebuild_environment's 3.12).
DEPLOYMENT_LOCK := requirements/deployment-build.txt
DEPLOYMENT_WHEELS := build/deployment-wheels
DEPLOYMENT_BUILD_PYTHON := 3.12

$(DEPLOYMENT_WHEELS)/.downloaded: $(DEPLOYMENT_LOCK) | $(VENV)/bin/python
	rm -rf $(DEPLOYMENT_WHEELS) $(DEPLOYMENT_WHEELS).partial
	$(VENV)/bin/python -m pip download $(PIP_FLAGS) --require-hashes --no-deps --only-binary=:all: \
	  --python-version $(DEPLOYMENT_BUILD_PYTHON) --implementation py --abi none --platform any \
	  -r $(DEPLOYMENT_LOCK) -d $(DEPLOYMENT_WHEELS).partial
	mv $(DEPLOYMENT_WHEELS).partial $(DEPLOYMENT_WHEELS)
	touch $@

deployment-wheels: $(DEPLOYMENT_WHEELS)/.downloaded

# Regenerate the lock after changing requirements/deployment-build.in (pip-tools in a throwaway venv).
deployment-build-lock:
	tools=$$(mktemp -d) && trap 'rm -rf "$$tools"' EXIT && \
	$(PYTHON) -m venv "$$tools" && \
	"$$tools/bin/pip" install $(PIP_FLAGS) pip-tools && \
	CUSTOM_COMPILE_COMMAND='make deployment-build-lock' "$$tools/bin/pip-compile" \
	  --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links \
	  requirements/deployment-build.in -o $(DEPLOYMENT_LOCK)

synth: $(VENV)/.synth-deps $(DEPLOYMENT_WHEELS)/.downloaded
	$(VENV)/bin/python main.py

# The whole suite, then lint and types (same tools and settings as `make lint`).
test: $(VENV)/.dev-deps $(CHECKOV_VENV)/.deps $(SEED_VENV)/.deps $(DEPLOYMENT_WHEELS)/.downloaded
	$(VENV)/bin/python -m pytest
	$(MAKE) --no-print-directory lint

TYPED := platform_composition platform_sandbox main.py mlgov scripts/generate_module_interfaces.py \
	scripts/derive_provider_schema.py lambda_src/model_promoter lambda_src/pipeline_trigger benchmarks

lint: $(VENV)/.dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $(TYPED)

MLGOV := $(VENV)/bin/mlgov

sandbox: $(VENV)/.dev-deps $(DEPLOYMENT_WHEELS)/.downloaded
	$(MLGOV) sandbox up
	$(MLGOV) sandbox demo

sandbox-down: $(VENV)/.dev-deps
	$(MLGOV) sandbox down

# Every benchmark runs; the ones that missed a target (exit 1) or failed to run (any other
# exit code) are listed at the end, and make fails if there is any.
BENCHMARKS := synth promotion promotion_cost sandbox

bench: $(VENV)/.dev-deps $(DEPLOYMENT_WHEELS)/.downloaded
	@missed=""; failed=""; for name in $(BENCHMARKS); do \
	  $(VENV)/bin/python benchmarks/$$name.py; code=$$?; \
	  if [ $$code -eq 1 ]; then missed="$$missed $$name"; \
	  elif [ $$code -ne 0 ]; then failed="$$failed $$name (exit $$code)"; fi; \
	done; \
	if [ -n "$$missed" ]; then echo "benchmarks that missed a target:$$missed"; fi; \
	if [ -n "$$failed" ]; then echo "benchmarks that failed to run:$$failed"; fi; \
	[ -z "$$missed$$failed" ]

clean:
	rm -rf cdktf.out .pytest_cache .sandbox $(SEED_VENV)
