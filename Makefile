# fixer: build, test, demo and benchmarks. See README.md.
GO      ?= go
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
BIN     := bin/fixer

.PHONY: build test test-short demo bench services fuzz vet

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/fixer

vet:
	$(GO) vet ./...

# All tests, including the integration suites against the local PostgreSQL and MariaDB
# (scripts/services.sh installs and starts them) and the embedded SQLite.
test: vet
	$(GO) test -race -count=1 -timeout 30m ./...

# Unit tests only: no database server needed.
test-short:
	$(GO) test -short -count=1 ./...

services:
	bash scripts/services.sh

# The whole job on an embedded SQLite database: seed a synthetic province, plan, apply,
# report, roll back.
demo: build
	bash scripts/demo.sh $(BIN)

# Long benchmarks: deadline computation, and plan/apply against a plain UPDATE on 1M and 10M
# dossiers in PostgreSQL and MariaDB (scripts/bench.sh).
bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./rules/
	bash scripts/bench.sh $(BIN)

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParseDuration -fuzztime 30s ./rules/
	$(GO) test -run '^$$' -fuzz FuzzParseTextDuration -fuzztime 30s ./rules/
