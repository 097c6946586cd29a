# tagbench — the two commands the README names:
#   make run    installs what is missing, builds, and opens the demo session in the REPL
#   make test   installs what is missing, checks the formatting, builds, and runs every test (Swift, then Python interop)
SHELL := /bin/bash
VENV := .venv
ARTIFACTS := $(CURDIR)/.build/test-artifacts
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-portable setup lint format build release demo bench fuzz clean

run: setup build
	.build/debug/tagbench Sessions/demo.json

test: setup lint build
	rm -rf "$(ARTIFACTS)"
	TAGBENCH_ARTIFACTS="$(ARTIFACTS)" swift test
	TAGBENCH_ARTIFACTS="$(ARTIFACTS)" $(VENV)/bin/python -m pytest -q Tests/interop

# The Swift suite once more, built with every processor-specific and Linux-only path turned off
# (TB_PORTABLE): the portable fallbacks must pass it on their own. CI runs it after `make test`.
# The kill tests run fewer rounds here: the portable SHA-256 makes each save several times slower,
# and the rounds test the save, not the processor's paths. RegexBoundTests run in a process of
# their own: they abandon searches that never end, which this build cannot lower to idle
# priority (Linux-only), so in the suite's process they would take the processor from every
# other test until it ended (a pass took 500 s instead of 150).
PORTABLE_TEST := TAGBENCH_SAVE_KILL_ROUNDS=6 TAGBENCH_EXPORT_KILL_ROUNDS=4 swift test --skip-build --scratch-path .build-portable
test-portable: setup
	swift build --build-tests --scratch-path .build-portable -Xcc -DTB_PORTABLE -Xswiftc -DTB_PORTABLE
	$(PORTABLE_TEST) --skip RegexBoundTests
	$(PORTABLE_TEST) --filter RegexBoundTests

# System packages (libedit's headers for the CLibEdit target, tmux for the terminal test,
# chromium and a CJK font for the report's browser test) and
# the Python virtual environment for the interop suite; each only when missing.
setup:
	@if ! pkg-config --exists libedit 2>/dev/null || ! command -v tmux >/dev/null; then \
		echo "installing libedit-dev, tmux and pkg-config"; \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y libedit-dev tmux pkg-config; \
	fi
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -q wqy-microhei; then \
		echo "installing chromium and fonts-wqy-microhei (the report's browser test; CJK text in its screenshots)"; \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y chromium fonts-wqy-microhei; \
	fi
	@if [ ! -x $(VENV)/bin/python ] || ! cmp -s Tests/interop/requirements.txt $(VENV)/requirements.txt; then \
		echo "creating $(VENV) for the Python interop tests"; \
		python3 -m venv $(VENV) && $(VENV)/bin/pip install -q -r Tests/interop/requirements.txt && \
		cp Tests/interop/requirements.txt $(VENV)/requirements.txt; \
	fi

# The formatting the tree keeps (.swift-format: 4 spaces, lines of 120), checked first by make
# test; `make format` applies it. swift-format ships with the Swift toolchain.
lint:
	swift format lint --strict --recursive Sources Tests Package.swift

format:
	swift format format --in-place --recursive Sources Tests Package.swift

build:
	swift build

# Rebuild the committed demo session from its script (a test checks they agree).
demo: build
	rm -f Sessions/demo.json
	TAGBENCH_ANNOTATOR=demo SOURCE_DATE_EPOCH=1700000000 .build/debug/tagbench run Fixtures/scripts/demo.tb --session Sessions/demo.json

# The release binary (.build/release/tagbench), with the Swift runtime linked in: a process then
# starts in 9 ms instead of 16 (no shared Swift libraries to load and bind).
release:
	swift build -c release --static-swift-stdlib

# The bulk-pass benchmark against the Python peer (not a test: it prints numbers). SCALE=10 for 10x;
# REPORT=DIR also times `report` against `export spans` on the saved session, writing into DIR.
bench: setup release
	$(VENV)/bin/pip install -q orjson==3.13.0
	$(VENV)/bin/python Tests/bench/bench.py $(if $(SCALE),--scale $(SCALE)) $(if $(REPORT),--report $(REPORT))

# libFuzzer on the command parser, the session and tag-set decoders, the importers, the journal
# reader, the hash cache and deeply nested JSON (FUZZ_SECONDS, default 60).
fuzz:
	swift build --scratch-path .build-fuzz --product tagbench-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xswiftc -parse-as-library
	mkdir -p .build-fuzz/corpus
	cp Sessions/demo.json .build-fuzz/corpus/session && printf '\001' | cat - Sessions/demo.json > .build-fuzz/corpus/session-seed
	printf '\000tag 巡察 all /巡察/ --corpus' > .build-fuzz/corpus/command-seed
	printf '\003{"id": 1, "text": "巡察工作", "label": [[0, 2, "巡察"]], "meta": {"source": "a"}}\n' > .build-fuzz/corpus/doccano-seed
	printf '\004[{"id": 1, "data": {"text": "巡察", "doc": "d"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 2, "labels": ["巡察"]}}]}]}]' > .build-fuzz/corpus/label-studio-seed
	printf '\005{"journal": "tagbench-journal", "follows": ""}\n{"command": "tag 巡察 1:3", "time": "2023-11-14T22:13:20Z"}\n' > .build-fuzz/corpus/journal-seed
	printf '\006{"format": "tagbench-hashes", "version": 1, "files": [\n{"path": "/a.txt", "encoding": "utf-8", "device": 1, "inode": 2, "size": 3, "modified": 4, "changed": 5, "sha256": "%064d"}\n]}\n' 0 > .build-fuzz/corpus/hashes-seed
	printf '\007%02000d' 0 > .build-fuzz/corpus/deep-seed
	.build-fuzz/debug/tagbench-fuzz -max_total_time=$${FUZZ_SECONDS:-60} .build-fuzz/corpus

clean:
	rm -rf .build $(VENV)
