# Face Station — set-up, run, test. GNU make; Debian 12 / Python 3.11.
#
#   make setup     system packages: libs for Qt offscreen, strace (as root, only if missing), .venv,
#                  pinned deps, the project (editable), model files
#   make models    fetch + verify the pinned model files into resources/models (no-op when present)
#   make translations          compile resources/i18n/*.ts -> .qm (part of setup; only when a .ts changed)
#   make translations-update   re-extract the window's strings from ui/ into the .ts (then translate them)
#   make run       setup, then the operator window:
#                    make run ARGS="--camera ../shared/faces/video/short_hamilton_clip.mp4"
#   make test      setup, lint, typecheck, import contracts, pytest (Qt offscreen; hypothesis's
#                  derandomized `ci` profile, so every run draws the same examples)
#   make lint | typecheck | importlint | pytest     one step of `make test`
#   make fuzz      random search over every property test (@given) for FUZZ_MINUTES (10), stopping
#                  at the first failure:  make fuzz FUZZ_MINUTES=60 PYTEST_ARGS="-k camera"
#   make soak      setup, then the crash-safety loop at length, not part of `make test`: SOAK_KILLS
#                  (1000) SIGKILLs shared by its operations, every committed record checked after
#                  each; figures in build/soak.json:  make soak SOAK_KILLS=70 PYTEST_ARGS="-k backup"
#   make bench     run bench/bench_*.py (figures, not pass/fail)
#   make screenshots  setup, then one PNG per screen and language of the real window into
#                  build/screenshots (under xvfb-run when DISPLAY is unset)
#   make gallery   setup, then docs/screens.md and docs/screens/: every screen in both languages
#                  at 1366x768 and 1920x1080, the camera picture pixelated (commit the result)
#   make package   the installers: a .deb and a tarball of the frozen program, in dist/
#   make package-test  install the .deb (root) and check it as a user would, offline
#   make clean     caches and build output; `make distclean` also drops .venv, stamps and models
#
# Re-running is cheap: each install step leaves a stamp in .setup-stamps/ named after the SHA-256 of
# what it installed from (requirements-dev.lock, pyproject.toml). Change the file -> new stamp name ->
# that step runs again; otherwise nothing is reinstalled. Recreating .venv invalidates the stamps.
# `make models` always runs, but only hashes the files when they are present (~0.1 s).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check
STAMPS := .setup-stamps
ARGS   ?=
PYTEST_ARGS ?=

# fonts-wqy-microhei: a CJK font, so the window's Simplified Chinese shows as text, not boxes.
SYSTEM_PACKAGES := libegl1 libgl1 libfontconfig1 libglib2.0-0 libxkbcommon0 libdbus-1-3 \
                   fonts-wqy-microhei
# A real window under Xvfb (make screenshots): the X server and Qt's xcb platform plugin.
DISPLAY_PACKAGES := xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
                    libxcb-render-util0 libxcb-shape0 libxkbcommon-x11-0
# The R11 test runs the station under strace to see every socket and program it opens
# (tests/syscalls.py); without strace that test fails.
TEST_PACKAGES := strace

hash_of = $(shell cat $(1) 2>/dev/null | sha256sum | cut -c1-16)
VENV_STAMP    := $(VENV)/pyvenv.cfg
DEPS_STAMP    := $(STAMPS)/deps-$(call hash_of,requirements-runtime.lock requirements-dev.lock)
PROJECT_STAMP := $(STAMPS)/project-$(call hash_of,pyproject.toml)

# The window's translations: Qt .ts sources (in git) compiled to .qm (git-ignored) next to them.
TS_FILES := $(wildcard resources/i18n/*.ts)
QM_FILES := $(TS_FILES:.ts=.qm)

.PHONY: help setup system-packages venv deps models translations translations-update run test lint \
        typecheck importlint pytest fuzz soak bench screenshots gallery package package-test clean distclean

help:
	@sed -n '2,30s/^# \{0,1\}//p' $(firstword $(MAKEFILE_LIST))

setup: system-packages $(PROJECT_STAMP) models translations

# Qt needs a few shared libraries even offscreen, Xvfb + xcb for screenshots, strace for the R11 test.
# Install them only when root and missing; apt-get update only when something has to be installed;
# otherwise say nothing.
system-packages:
	@command -v dpkg-query >/dev/null 2>&1 || exit 0; \
	missing=""; \
	for pkg in $(SYSTEM_PACKAGES) $(DISPLAY_PACKAGES) $(TEST_PACKAGES); do \
	  status=$$(dpkg-query -W -f='$${db:Status-Status}' "$$pkg" 2>/dev/null || true); \
	  [ "$$status" = installed ] || missing="$$missing $$pkg"; \
	done; \
	[ -n "$$missing" ] || exit 0; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
	  echo "note: not root, skipping system packages:$$missing (the tests and screenshots need them)" >&2; \
	  exit 0; \
	fi; \
	echo "Installing system packages:$$missing"; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update -qq; \
	apt-get install -y -qq --no-install-recommends $$missing

venv: $(VENV_STAMP)

# python3.11, else python3 if it is >= 3.11. As root on Debian, a missing interpreter or venv
# module (python3-venv is not installed by default) is installed with apt.
$(VENV_STAMP):
	@pick() { \
	  if command -v python3.11 >/dev/null 2>&1; then echo python3.11; \
	  elif command -v python3 >/dev/null 2>&1 && \
	       python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then echo python3; \
	  fi; }; \
	can_apt() { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }; \
	apt_install() { \
	  echo "Installing system packages: $$*"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends "$$@"; }; \
	py=$$(pick); \
	if [ -z "$$py" ] && can_apt; then apt_install python3 python3-venv; py=$$(pick); fi; \
	if [ -z "$$py" ]; then \
	  echo "error: Python >= 3.11 is needed (python3.11 or python3); none found on PATH." >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$py ($$(command -v $$py), $$($$py -V 2>&1))"; \
	rm -rf $(VENV); \
	if ! $$py -m venv $(VENV); then \
	  rm -rf $(VENV); \
	  if can_apt; then apt_install python3-venv && $$py -m venv $(VENV); \
	  else echo "error: '$$py -m venv' failed (on Debian: apt-get install python3-venv)" >&2; \
	       exit 1; fi; \
	fi

deps: $(DEPS_STAMP)

# Exact pins from requirements-dev.lock (which includes requirements-runtime.lock), then `pip check`.
# The stamp is named after the locks' content hash (a touched but unchanged lock reinstalls
# nothing); a recreated .venv is newer than the stamp, so it is reinstalled.
$(DEPS_STAMP): $(VENV_STAMP)
	$(PIP) install -r requirements-dev.lock
	$(PIP) check
	@mkdir -p $(STAMPS)
	@rm -f $(STAMPS)/deps-*
	@touch $@

# The project itself, editable, without touching the locked dependencies.
$(PROJECT_STAMP): $(DEPS_STAMP)
	$(PIP) install --no-deps -e .
	@mkdir -p $(STAMPS)
	@rm -f $(STAMPS)/project-*
	@touch $@

# Pinned model files (station/biometrics/assets.py). Downloads only what is missing or wrong.
models: $(VENV_STAMP)
	@$(PY) packaging/fetch_models.py

# A make rule per .qm: lrelease runs again only when its .ts is newer.
translations: $(QM_FILES)

resources/i18n/%.qm: resources/i18n/%.ts $(DEPS_STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

# Every translatable string of ui/ into the .ts (new ones come in unfinished; translate them with
# Qt Linguist or by hand, tests/ui/test_i18n.py fails until each one is done). No source line
# numbers, so an unrelated edit does not churn the file.
translations-update: $(DEPS_STAMP)
	$(VENV)/bin/pyside6-lupdate -no-obsolete -locations none $$(find ui -name '*.py' | sort) \
	  -ts resources/i18n/face_station_zh_CN.ts

run: setup
	$(VENV)/bin/face-station gui $(ARGS)

test: setup lint typecheck importlint pytest

lint: $(PROJECT_STAMP)
	$(VENV)/bin/ruff check .

# The folders of [tool.mypy] files; one with no .py file yet (bench/ early on) is left out, as mypy
# refuses an empty folder.
MYPY_DIRS := station ui tests bench packaging
typecheck: $(PROJECT_STAMP)
	@dirs=""; \
	for d in $(MYPY_DIRS); do \
	  if [ -n "$$(find "$$d" -name '*.py' -print -quit 2>/dev/null)" ]; then dirs="$$dirs $$d"; fi; \
	done; \
	echo "$(VENV)/bin/mypy$$dirs"; \
	$(VENV)/bin/mypy $$dirs

importlint: $(PROJECT_STAMP)
	$(VENV)/bin/lint-imports

# HYPOTHESIS_PROFILE=ci (tests/conftest.py): property tests draw the same examples on every run.
pytest: $(PROJECT_STAMP) models translations
	HYPOTHESIS_PROFILE=ci QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest $(PYTEST_ARGS)

# The property tests (pytest marks each @given test `hypothesis`) under HYPOTHESIS_PROFILE=fuzz:
# random, five times the examples of a CI run. Round after round, each with new random inputs,
# until FUZZ_MINUTES have passed (a round already started finishes: 3-4 min on 2 cores). The first
# failure stops it with its falsifying example, which .hypothesis/ replays first next time; once
# fixed, pin it in the test with @example(...) so CI checks it on every run.
FUZZ_MINUTES ?= 10
fuzz: $(PROJECT_STAMP) models
	@end=$$(( $$(date +%s) + 60 * $(FUZZ_MINUTES) )); round=0; \
	while [ "$$(date +%s)" -lt "$$end" ]; do \
	  round=$$((round + 1)); \
	  echo "== fuzz round $$round, $$(( (end - $$(date +%s) + 59) / 60 )) min left"; \
	  if ! HYPOTHESIS_PROFILE=fuzz QT_QPA_PLATFORM=offscreen \
	       $(VENV)/bin/pytest -m hypothesis -x -q $(PYTEST_ARGS); then \
	    echo "fuzz: round $$round found a failure (falsifying example above)" >&2; \
	    exit 1; \
	  fi; \
	done; \
	echo "fuzz: $$round round(s) in $(FUZZ_MINUTES) min, no failure"

# tests/station/test_crash_safety.py with CRASH_KILLS kills in all instead of 8 per operation
# (about 3.5 s a kill on 2 cores). Every operation runs even when an earlier one lost something;
# the losses are listed at the end, and the last line sums the JSON up.
SOAK_KILLS ?= 1000
SOAK_JSON  := build/soak.json
soak: setup
	@mkdir -p $(dir $(SOAK_JSON)); rm -f $(SOAK_JSON); status=0; \
	CRASH_KILLS=$(SOAK_KILLS) CRASH_JSON=$(SOAK_JSON) QT_QPA_PLATFORM=offscreen \
	  $(VENV)/bin/pytest -s -q tests/station/test_crash_safety.py $(PYTEST_ARGS) || status=$$?; \
	[ -f $(SOAK_JSON) ] && $(PY) -c 'import json, sys; r = json.load(open(sys.argv[1])); \
	  print("soak: %d kills, %d committed records, %d record checks, %d losses in %.0f s; " \
	        "figures in %s" % (r["kills"], r["committed_records"], r["record_checks"], \
	        len(r["losses"]), r["seconds"], sys.argv[1]))' $(SOAK_JSON); \
	exit $$status

bench: setup
	@for f in bench/bench_*.py; do \
	  [ -e "$$f" ] || { echo "no bench/bench_*.py yet"; break; }; \
	  echo "== $$f"; \
	  $(PY) "$$f"; \
	done

# The real window on the current display, or on a throw-away Xvfb screen when DISPLAY is unset
# (1920x1200: room for the largest size the gallery shoots).
#   make screenshots ARGS="--languages en --size 1366x768 --theme dark"
SCREENSHOTS_DIR ?= build/screenshots
XVFB := xvfb-run -a -s "-screen 0 1920x1200x24"
on_display = if [ -n "$${DISPLAY:-}" ]; then $(1); \
	elif command -v xvfb-run >/dev/null 2>&1; then $(XVFB) $(1); \
	else echo "error: DISPLAY is unset and xvfb-run is missing (as root, make setup installs xvfb)" >&2; \
	  exit 1; fi
screenshots: setup
	@$(call on_display,$(PY) -m ui.screenshots --out $(SCREENSHOTS_DIR) $(ARGS))

gallery: setup
	@$(call on_display,$(PY) -m ui.gallery $(ARGS))

# The installers (issue 11): dist/face-station_VERSION_ARCH.deb and the same program as
# dist/face-station-VERSION-linux-ARCH.tar.xz, frozen by PyInstaller from packaging/face_station.spec
# in a venv of runtime pins only. An unchanged tree reuses its cached build (packaging/build_package.sh).
package: models translations
	packaging/build_package.sh "$$($(PY) -c 'import sys; print(sys._base_executable)')"

# Installs the .deb like a site's IT would and runs it with no .venv, no project folder, an empty
# HOME and no network (packaging/package_test.sh); removes it at the end.
package-test: system-packages package
	packaging/package_test.sh

clean:
	rm -rf build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis .import_linter_cache \
	       *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(STAMPS) resources/models $(QM_FILES)
