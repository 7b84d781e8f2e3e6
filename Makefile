# TMDB client pipeline: docs pages -> pinned, extracted, merged, overlaid, validated spec
# -> generated client -> wheel. Each step is one script in scripts/; each target depends
# on exactly its inputs, so a second `make` does nothing and an overlay edit reruns only
# what follows it. Every step writes atomically: a failure leaves the previous outputs.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
BUILD := build
SPEC := $(BUILD)/spec
# The offline mirror when it is beside the checkout, else the live docs site (named in scripts/common.py).
LIVE_SITE := $(shell sed -n 's/^LIVE_SITE = "\(.*\)"$$/\1/p' scripts/common.py)
DOCS_SOURCE ?= $(if $(wildcard ../shared/tmdb-docs/llms.txt),../shared/tmdb-docs,$(LIVE_SITE))
LOCK := openapi/pages.lock
VERSION_FILE := openapi/VERSION
SURFACE := openapi/api-surface.json
CHANGELOG := openapi/CHANGELOG.md

COMMON := scripts/__init__.py scripts/common.py
VENV_STAMP := $(VENV)/.installed
PAGES_STAMP := $(BUILD)/pages/.verified
BUILD_INFO := generated/tmdb_generated/build-info.json
DIST_STAMP := dist/SHA256SUMS
COVERAGE := $(SPEC)/coverage.json
COVERAGE_STAMP := $(SPEC)/.coverage-checked
# Strict coverage: STRICT=1 for any build; `make publish` is strict unless STRICT=0.
STRICT ?=
IS_STRICT := $(filter 1 yes true,$(STRICT))

# A local docs source is re-checked whenever one of its pages changes; a remote one is
# fetched once into the cache. Cached pages are prerequisites too: touching one re-verifies it.
IS_LOCAL_SOURCE := $(if $(findstring ://,$(DOCS_SOURCE)),,yes)
SOURCE_PAGES := $(if $(IS_LOCAL_SOURCE),$(shell find '$(DOCS_SOURCE)' -name '*.md' 2>/dev/null))
CACHED_PAGES := $(shell find $(BUILD)/pages -name '*.md' 2>/dev/null)
OVERLAYS := $(sort $(wildcard overlays/*.yaml overlays/*.yml))
# The project's template edits and its own whole templates (scripts/template_edits.py).
TEMPLATE_INPUTS := $(shell find generator/edits generator/own-templates -type f 2>/dev/null)
RUNTIME_SOURCES := $(shell find runtime -name '*.py' -o -name 'py.typed' 2>/dev/null)

.PHONY: all venv mutation template-diff golden update-spec check-spec api-surface api-diff bump publish check-name api-index docs test bench clean clean-cache lock

all: $(DIST_STAMP)

venv: $(VENV_STAMP)

$(VENV_STAMP): requirements/tools.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/tools.lock
	mkdir -p $(BUILD) && echo $$(cd $(VENV)/lib/python*/site-packages && ls -d $(TOOL_PATTERNS) | LC_ALL=C sort) > $(BUILD)/tools.txt
	touch $@

# The tools that shape the outputs (validator, generator, ruff, hatchling): the pinned versions, and
# the versions installed in the venv (the names of their .dist-info folders, read without running
# Python), so that a new pin or a reinstall regenerates the spec, the client and the wheel.
TOOL_PATTERNS := openapi_python_client-*.dist-info openapi_spec_validator-*.dist-info ruff-*.dist-info hatchling-*.dist-info
TOOL_DIST_INFO := $(sort $(notdir $(wildcard $(addprefix $(VENV)/lib/python*/site-packages/,$(TOOL_PATTERNS)))))
TOOLS := requirements/tools.lock $(BUILD)/tools.txt

# $(call record,FILE,VALUE) rewrites FILE, as the Makefile is read, only when VALUE changed.
# A target depending on FILE then reruns when a setting changes or an input file is deleted
# (which make alone cannot see), while `make -q` and `make -n` still tell the truth.
record = $(shell mkdir -p $(dir $(1)); [ -f $(1) ] && [ "$$(cat $(1))" = '$(2)' ] || echo '$(2)' > $(1))
$(call record,$(BUILD)/docs-source.txt,$(DOCS_SOURCE))
$(call record,$(BUILD)/source-pages.txt,$(sort $(SOURCE_PAGES)))
$(call record,$(BUILD)/overlays.txt,$(OVERLAYS))
$(call record,$(BUILD)/templates.txt,$(sort $(TEMPLATE_INPUTS)))
$(call record,$(BUILD)/runtime.txt,$(sort $(RUNTIME_SOURCES)))
$(call record,$(BUILD)/strict.txt,$(IS_STRICT))
$(call record,$(BUILD)/tools.txt,$(TOOL_DIST_INFO))

$(PAGES_STAMP): $(LOCK) $(BUILD)/docs-source.txt $(BUILD)/source-pages.txt $(SOURCE_PAGES) $(CACHED_PAGES) scripts/fetch_pages.py scripts/sources.py $(COMMON) | $(VENV_STAMP)
	$(PY) -m scripts.fetch_pages --source '$(DOCS_SOURCE)' --lock $(LOCK) --cache $(BUILD)/pages
	touch $@

$(SPEC)/extracted.json: $(PAGES_STAMP) scripts/extract.py scripts/pages.py $(COMMON)
	$(PY) -m scripts.extract --lock $(LOCK) --cache $(BUILD)/pages --out $@
	touch $@

$(SPEC)/merged.json: $(SPEC)/extracted.json scripts/merge.py $(COMMON)
	$(PY) -m scripts.merge --in $< --out $@
	touch $@

$(SPEC)/overlaid.json: $(SPEC)/merged.json $(BUILD)/overlays.txt $(OVERLAYS) scripts/apply_overlays.py scripts/overlay.py scripts/coverage.py $(COMMON)
	$(PY) -m scripts.apply_overlays --in $< --overlays overlays --out $@ --report $(COVERAGE)
	touch $@

# Operations no overlay has named or typed yet (named by rule, typed from their docs schema) are
# listed whenever the spec changes; in strict mode (STRICT=1; `make publish` is strict unless
# STRICT=0) the build stops before generating until each is covered.
$(COVERAGE_STAMP): $(SPEC)/overlaid.json $(BUILD)/strict.txt scripts/coverage.py $(COMMON)
	$(PY) -m scripts.coverage --report $(COVERAGE) $(if $(IS_STRICT),--strict)
	touch $@

$(SPEC)/openapi.json: $(SPEC)/overlaid.json $(TOOLS) scripts/validate.py $(COMMON)
	$(PY) -m scripts.validate --in $< --out $@ --merged $(SPEC)/merged.json --overlays overlays
	touch $@

$(BUILD_INFO): $(SPEC)/openapi.json generator/config.yaml $(BUILD)/templates.txt $(TEMPLATE_INPUTS) $(VERSION_FILE) \
              $(TOOLS) scripts/generate.py scripts/build_inputs.py scripts/template_edits.py scripts/op_index.py scripts/facade.py scripts/stand_in_data.py $(LOCK) $(COMMON) \
              | $(COVERAGE_STAMP)
	$(PY) -m scripts.generate --spec $< --config generator/config.yaml \
	    --edits generator/edits --own-templates generator/own-templates --effective-templates $(BUILD)/templates \
	    --version-file $(VERSION_FILE) --lock $(LOCK) --out generated

$(DIST_STAMP): $(BUILD_INFO) $(BUILD)/runtime.txt $(RUNTIME_SOURCES) pyproject.toml README.md hatch_build.py $(TOOLS) scripts/package.py $(COMMON)
	$(PY) -m scripts.package --out dist

# The effective change of generator/edits and generator/own-templates against the installed
# generator's templates, as a unified diff, for review.
template-diff: $(VENV_STAMP)
	@$(PY) -m scripts.template_edits --edits generator/edits --own generator/own-templates --diff

# Rewrite the golden record of the template edits (tests/generator/golden/expected) from the
# current edits and generator; review it with `git diff tests/generator/golden`.
golden: $(VENV_STAMP)
	GOLDEN_UPDATE=1 $(PY) -m pytest -q -p no:cacheprovider tests/generator/test_golden_record.py

# Re-read llms.txt and every page from DOCS_SOURCE, rewrite the pins, report what changed;
# then rebuild the final spec and bump the version from its API diff (see `bump`).
update-spec: $(VENV_STAMP)
	$(PY) -m scripts.update_spec --source '$(DOCS_SOURCE)' --lock $(LOCK)
	$(MAKE) --no-print-directory bump DOCS_SOURCE='$(DOCS_SOURCE)'
	rm -f $(COVERAGE_STAMP)  # always list the operations no overlay covers yet
	$(MAKE) --no-print-directory $(COVERAGE_STAMP) DOCS_SOURCE='$(DOCS_SOURCE)'

# Does the docs source still match openapi/pages.lock? Writes nothing; exit 0 when it does,
# else 1 with the operations added, removed or changed (for a scheduled job, see the README).
check-spec: $(VENV_STAMP)
	$(PY) -m scripts.check_spec --source '$(DOCS_SOURCE)' --lock $(LOCK)

# Compare the build's surface (final spec + the docs' merged spec) with $(SURFACE) (the one the
# current version was built from); on any change write VERSION, a CHANGELOG entry and the new
# surface (scripts/release_bump.py).
bump: $(SPEC)/openapi.json
	$(PY) -m scripts.release_bump --surface $(SURFACE) --spec $< --docs $(SPEC)/merged.json \
	    --version-file $(VERSION_FILE) --changelog $(CHANGELOG)

# Re-baseline $(SURFACE) from the final spec without a bump: only while the current
# version has never been published (e.g. after overlays renamed operations before a release).
api-surface: $(SPEC)/openapi.json
	$(PY) -m scripts.api_surface --spec $< --docs $(SPEC)/merged.json --out $(SURFACE)

# `make api-diff OLD=<spec or surface> NEW=<spec or surface>`; defaults: the baseline vs this build.
# A spec's docs layer is read from the merged.json beside it.
OLD ?= $(SURFACE)
NEW ?=
api-diff: $(VENV_STAMP) $(if $(NEW),,$(SPEC)/openapi.json)
	$(PY) -m scripts.api_diff --old '$(OLD)' --new '$(or $(NEW),$(SPEC)/openapi.json)'

# `make publish REPOSITORY_URL=https://pypi.internal/ [INDEX_URL=.../simple/]`, credentials
# from TWINE_USERNAME/TWINE_PASSWORD. Refuses a version already on the index or a dist that
# disagrees with openapi/VERSION and the final spec (scripts/publish.py).
INDEX_URL ?= $(patsubst %/,%,$(REPOSITORY_URL))/simple/
publish: $(DIST_STAMP)
	$(PY) -m scripts.coverage --report $(COVERAGE) $(if $(filter 0 no false,$(STRICT)),,--strict)
	$(PY) -m scripts.publish --dist dist --repository-url '$(REPOSITORY_URL)' --index-url '$(INDEX_URL)' \
	    --version-file $(VERSION_FILE) --spec $(SPEC)/openapi.json --surface $(SURFACE)

# Is the distribution name still free on the public index? Skips, saying so, when offline.
check-name: $(VENV_STAMP)
	$(PY) -m scripts.release_check_name

# docs/API.md: every call tmdb.<resource>.<action>(...) with its parameters and models, from the operation index.
api-index: $(SPEC)/openapi.json scripts/api_index.py scripts/op_index.py
	$(PY) -m scripts.api_index --spec $< --config generator/config.yaml --lock $(LOCK) --out docs/API.md

# The reference site (build/site): scripts/docs_site.py writes its sources (build/docs-src) from the operation
# index, the generated models, tmdb_sdk's errors and the README's sections; mkdocs-material builds it, strict
# (a broken link or cross-reference fails), into a new folder that replaces the old one.
SITE_STAMP := $(BUILD)/site/.built
docs: $(SITE_STAMP)

$(SITE_STAMP): $(BUILD_INFO) README.md $(wildcard docs/*.md) $(RUNTIME_SOURCES) scripts/docs_site.py scripts/op_index.py scripts/facade.py $(LOCK) $(TOOLS) $(COMMON)
	rm -rf $(BUILD)/site.new
	PYTHONPATH=runtime:generated $(PY) -m scripts.docs_site --spec $(SPEC)/openapi.json --config generator/config.yaml \
	    --lock $(LOCK) --readme README.md --models generated/tmdb_generated/models --out $(BUILD)/docs-src
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --quiet --config-file $(BUILD)/docs-src/mkdocs.yml --site-dir ../site.new
	rm -rf $(BUILD)/site && mv $(BUILD)/site.new $(BUILD)/site && touch $@

# The suite in parallel (pytest-xdist: one worker per core); PYTEST_ARGS adds options, e.g. '-n 0 -x'.
test: all docs
	bash scripts/ensure_test_deps.sh
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

# Mutation testing, not part of `make test` (scripts/dev/mutation.py): mutmut per group of modules,
# each with its own tests; the full run rewrites MUTATION.md. MUTATION_ARGS='--only api_diff' runs
# one group (api_diff, overlay, fetch_pages, runtime) and only prints its scores.
mutation: all
	$(PY) -m scripts.dev.mutation $(or $(MUTATION_ARGS),--write MUTATION.md)

# Benchmark tables (Markdown) for BENCHMARKS.md; BENCH_ARGS e.g. --only calls,parsing --rounds 3.
# They run in their own environment: the tool lock plus the peers and profilers of requirements/bench.txt.
BENCH_VENV := .venv-bench
BENCH_PY := $(BENCH_VENV)/bin/python
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): requirements/bench.txt requirements/tools.lock
	test -x $(BENCH_PY) || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_PY) -m pip install --quiet --disable-pip-version-check -r requirements/bench.txt
	touch $@

bench: all $(BENCH_STAMP)
	DOCS_SOURCE='$(DOCS_SOURCE)' PYTHONPATH=.:generated:runtime $(BENCH_PY) -m bench $(BENCH_ARGS)

# Re-pin the tool environment from requirements/tools.in.
lock: $(VENV_STAMP)
	$(PY) -m pip install --quiet -r requirements/tools.in
	{ echo '# Generated by `make lock` from requirements/tools.in: every package of the tool environment, pinned.'; \
	  $(PY) -m pip freeze --all | grep -v '^\(pip\|setuptools\|wheel\)==' | sort -f; } > requirements/tools.lock

clean:
	rm -rf $(BUILD) generated dist

clean-cache:
	rm -rf $(BUILD)/pages
