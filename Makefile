# Build, test and demo the bot. `make help` lists the targets.

SHELL := /bin/bash
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X portalbot/internal/cli.Version=$(VERSION)
BROWSERS := chromium-headless-shell chromium chromium-browser

.DEFAULT_GOAL := help
.PHONY: help build browser test bench demo drift shots lint image clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "} {printf "  %-8s %s\n", $$1, $$2}'

build: ## build bin/bot and bin/fakeportals
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/bot ./cmd/bot
	$(GO) build -o bin/fakeportals ./cmd/fakeportals

browser: ## make sure a headless Chromium is installed (apt-get when root)
	@for b in $(BROWSERS); do \
		if command -v $$b >/dev/null 2>&1 || [ -x /usr/bin/$$b ]; then exit 0; fi; \
	done; \
	if [ "$$(id -u)" = 0 ]; then \
		apt-get update && apt-get install -y chromium-headless-shell; \
	else \
		echo "no headless Chromium found; install it with:" >&2; \
		echo "  sudo apt-get update && sudo apt-get install -y chromium-headless-shell" >&2; \
		exit 1; \
	fi

# -trimpath: what is compiled does not name the checkout's directory, so a
# fresh clone (a CI job) reuses the build cache an earlier clone filled.
# -parallel 4: the tests run side by side, and the flows tests bound the runs
# they drive at once themselves (BOT_TEST_RUNS, default one per core and one).
# -ldflags=-w: test binaries linked without DWARF (a debugger's data; stack
# traces do not need it): 0.6 core-seconds less a link, about 20 links.
test: browser ## go vet, then every test
	GOFLAGS="-trimpath $${GOFLAGS:-}" $(GO) vet ./...
	GOFLAGS="-trimpath -ldflags=-w $${GOFLAGS:-}" $(GO) test -count=1 -parallel 4 -timeout 40m ./...

# -p 1: one package at a time, nothing built meanwhile. go test otherwise
# runs two packages' benchmarks side by side (and links the next test
# binaries), each taking the 2 cores from the other: the Xero job measured
# 1.61 s of overhead so, 1.22-1.25 s alone, minutes apart.
bench: browser ## the bot per flow and `bot check all` against replicas answering in 50-300 ms: its time, the floor, the overhead, browser start, peak RSS
	$(GO) test -p 1 -run '^$$' -bench . -benchmem -benchtime 3x -timeout 30m ./...

drift: browser ## the bot against replicas that reword their pages, DRIFT_SEEDS seeds (default 50): completed or stopped safely
	set -o pipefail; DRIFT_SEEDS=$${DRIFT_SEEDS:-50} $(GO) test -count=1 -timeout 60m -run '^TestDriftSeeds$$' -v ./flows | grep -E '^(=== RUN|--- |ok|FAIL)|drift: [0-9]+ of|harm|exit [0-9]'

# The replicas start empty each time, so the demo drops an earlier demo's
# resume state (it names apps the new replicas do not have) and sessions.
demo: build browser ## run both providers against the local replicas (DEMO_FLAGS="--variant spa --xero-two-step" for more)
	@set -u; mkdir -p out; rm -f out/demo-config.yaml; \
	rm -rf out/state out/sessions; \
	bin/fakeportals --write-config out/demo-config.yaml $(DEMO_FLAGS) & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null' EXIT; \
	for i in $$(seq 1 100); do \
		[ -s out/demo-config.yaml ] && break; \
		kill -0 $$pid 2>/dev/null || { echo "fakeportals exited" >&2; exit 1; }; \
		sleep 0.1; \
	done; \
	[ -s out/demo-config.yaml ] || { echo "fakeportals wrote no config in 10s" >&2; exit 1; }; \
	status=0; \
	bin/bot --config out/demo-config.yaml --out out run xero --screenshots steps || status=$$?; \
	bin/bot --config out/demo-config.yaml --out out run freeagent --screenshots steps || status=$$?; \
	echo; \
	echo "summaries:   out/summary-xero.json out/summary-freeagent.json"; \
	echo "screenshots: out/screenshots/xero/ out/screenshots/freeagent/ (secrets covered, the field of each step framed)"; \
	exit $$status

# The docs screenshots against replicas started with fixed ids, secrets and
# dates: the same pictures every time (out/shots/, index.md).
shots: build browser ## take the docs screenshots (bot shots all) against the local replicas
	@set -u; mkdir -p out; rm -f out/shots-config.yaml; \
	rm -rf out/state out/shots; \
	bin/fakeportals --deterministic --quiet --write-config out/shots-config.yaml & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null' EXIT; \
	for i in $$(seq 1 100); do \
		[ -s out/shots-config.yaml ] && break; \
		kill -0 $$pid 2>/dev/null || { echo "fakeportals exited" >&2; exit 1; }; \
		sleep 0.1; \
	done; \
	[ -s out/shots-config.yaml ] || { echo "fakeportals wrote no config in 10s" >&2; exit 1; }; \
	bin/bot --config out/shots-config.yaml --out out shots all $(SHOTS_FLAGS)

GOLANGCI_LINT_VERSION := v2.15.0
GOLANGCI_LINT := bin/golangci-lint-$(GOLANGCI_LINT_VERSION)

lint: $(GOLANGCI_LINT) ## gofmt, go vet and golangci-lint (.golangci.yml; installed into bin/ on first use)
	@files=$$(gofmt -l .); \
	if [ -n "$$files" ]; then echo "gofmt needed:" $$files >&2; exit 1; fi
	$(GO) vet ./...
	$(GOLANGCI_LINT) run ./...

$(GOLANGCI_LINT):
	@mkdir -p bin
	GOBIN=$(CURDIR)/bin/.golangci $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv bin/.golangci/golangci-lint $@ && rmdir bin/.golangci

IMAGE ?= portalbot:$(VERSION)

image: ## build the container image deploy/Dockerfile (needs docker; IMAGE=name:tag)
	docker build -f deploy/Dockerfile --build-arg VERSION=$(VERSION) -t $(IMAGE) .

clean: ## remove bin/ and out/
	rm -rf bin out
