# emailstatus — the few commands a developer needs. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test lint demo bench soak clean docs-images catalogs messages

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check functions tests bench
	$(BIN)/ruff format --check functions tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: lint catalogs
	$(BIN)/pytest -m "not soak"

# The answers' translations (docs/i18n.md): each .po compiled to the .mo the app reads, when it
# changed; `--statistics` prints how much of each catalog is translated. The .mo files are built,
# never committed (tests and make package compile them from the .po under review).
LOCALE_DIR := functions/emailstatus/locale
CATALOGS := $(patsubst %.po,%.mo,$(wildcard $(LOCALE_DIR)/*/LC_MESSAGES/emailstatus.po))
catalogs: $(CATALOGS)

$(LOCALE_DIR)/%.mo: $(LOCALE_DIR)/%.po $(STAMP)
	$(BIN)/pybabel --quiet compile --statistics -i $< -o $@

# After adding or changing a text in the code: extract every _(), N_() and ngettext() into the
# template and merge it into each language's .po (new texts arrive untranslated; the catalog
# test names them until they are translated).
messages: $(STAMP)
	$(BIN)/pybabel --quiet extract -F babel.cfg --no-location --sort-output \
		-o $(LOCALE_DIR)/emailstatus.pot .
	$(BIN)/pybabel --quiet update -i $(LOCALE_DIR)/emailstatus.pot -d $(LOCALE_DIR) -D emailstatus \
		--no-fuzzy-matching --ignore-obsolete --no-wrap
	rm $(LOCALE_DIR)/emailstatus.pot

demo: $(STAMP)
	$(BIN)/emailstatus demo

# Figures, not tests: every bench/bench_*.py, one table, bench/results.json (installs tccli
# into a throwaway virtualenv under the temp directory on first use).
bench: $(STAMP)
	$(BIN)/python -m bench.run_all

# Pictures of a real lookup answer and digest as Slack draws them (phone and desktop widths),
# into docs/: for people reviewing wording and layout; needs Debian's chromium and, for the
# zh-CN answer, a CJK font (installed from Debian here when missing); CI never runs it.
docs-images: $(STAMP)
	@fc-list :lang=zh | grep -q . || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends fonts-wqy-microhei || { echo "docs-images draws a zh-CN answer: \
		install a CJK font (Debian: apt-get install fonts-wqy-microhei)"; exit 1; }
	$(BIN)/python infra/render_examples.py --out docs

# The long reliability runs that make test leaves out.
soak: $(STAMP)
	$(BIN)/pytest -m soak -s

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .mypy_cache .ruff_cache .pytest_cache

# --- Deploy: build, lint and smoke-test the Lambda package; run the service locally ------------
# The Lambda runtime in serverless.yml; the shipped bytecode is compiled by this same Python.
RUNTIME := python3.13
# A working python3.13 binary (pyenv shims only answer when their version is selected).
RUNTIME_PYTHON ?= $(firstword $(foreach p,$(shell command -v $(RUNTIME)) $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/$(RUNTIME)) /usr/local/bin/$(RUNTIME) /usr/bin/$(RUNTIME),$(shell $(p) -c 'import sys; print("$(p)") if sys.version_info[:2] == (3, 13) else None' 2>/dev/null)))
NODE_STAMP := node_modules/.installed
STAGE ?= dev
# Packaging never talks to AWS: dummy credentials prove it (any AWS call would fail).
PACKAGE_ENV := AWS_ACCESS_KEY_ID=AKIAPACKAGEONLY AWS_SECRET_ACCESS_KEY=package-only \
	AWS_SESSION_TOKEN= AWS_PROFILE= AWS_EC2_METADATA_DISABLED=true RUNTIME_PYTHON=$(RUNTIME_PYTHON)

.PHONY: package offline

$(NODE_STAMP): package.json package-lock.json .npmrc
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# cfn-lint (in the dev venv through moto[server], pinned in constraints.txt): errors fail, and so
# does any warning except W3005 ("dependency already enforced by GetAtt/Ref"), which the
# framework's own generated DependsOn lists raise; they are redundant, not wrong.
# functions/requirements.txt is generated and committed (what a plain `npx osls deploy` ships);
# the check fails, naming the command to run, if pyproject.toml or constraints.txt moved on.
# checkov (infra/checkov-requirements.txt, the whole pinned closure) lives in its own venv: its
# pins conflict with the app's (boto3, PyYAML). Its skipped checks, each with its reason, are in
# infra/checkov.yml.
CHECKOV_VENV := .venv-checkov
CHECKOV := $(CHECKOV_VENV)/bin/checkov
$(CHECKOV): infra/checkov-requirements.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --no-deps -r infra/checkov-requirements.txt
	touch $(CHECKOV)

package: $(STAMP) $(NODE_STAMP) $(CHECKOV) catalogs
	@test -n "$(RUNTIME_PYTHON)" || { echo "make package needs $(RUNTIME) (the Lambda runtime) to compile the bytecode: install it or set RUNTIME_PYTHON=/path/to/$(RUNTIME)"; exit 1; }
	$(BIN)/python infra/lambda_requirements.py --check
	$(PACKAGE_ENV) npx osls package --stage $(STAGE)
	$(BIN)/cfn-lint --non-zero-exit-code warning --ignore-checks W3005 -- \
		.serverless/cloudformation-template-create-stack.json \
		.serverless/cloudformation-template-update-stack.json
	$(CHECKOV) --config-file infra/checkov.yml \
		--file .serverless/cloudformation-template-update-stack.json
	$(BIN)/python infra/smoke_package.py --runtime-python $(RUNTIME_PYTHON)

# The whole service on this machine: serverless-offline (HTTP :3000, Lambda invoke :3002), the
# SES simulator (:8800), moto_server for SSM and DynamoDB (:5005), a Slack stand-in (:3005).
offline: $(STAMP) $(NODE_STAMP)
	$(BIN)/python infra/offline.py up
