# Switchboard. `make run` starts the assistant on the embedded default
# (SQLite, no external service); `make test` runs every check CI runs.

GO      ?= go
GOFLAGS ?= -mod=readonly
export GOFLAGS

.PHONY: run build test vet fmt-check staticcheck unit fuzz-short fuzz bench chaos

# The first build compiles several hundred packages: say so before the
# minutes of silence, then run the binary (it prints where to go next).
run:
	@echo "Building the assistant: the first build compiles a few hundred packages and takes a few minutes; later ones take seconds."
	@$(GO) build -o bin/assistant ./cmd/assistant
	bin/assistant serve

build:
	$(GO) build -o bin/assistant ./cmd/assistant

test: vet fmt-check staticcheck unit fuzz-short

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

# staticcheck is a tool of the module (go.mod's tool line), pinned there.
staticcheck:
	$(GO) tool staticcheck ./...

# The console's browser tests drive Chromium: with-chromium.sh installs it
# on Debian when missing (as with-postgres.sh does PostgreSQL).
# -timeout: the end-to-end package runs many servers; under -race on two
# cores it can pass go test's default 10 minutes per package.
unit:
	scripts/with-chromium.sh scripts/with-postgres.sh $(GO) test -race -count=1 -timeout 30m ./...

# Every fuzz target (webhook parsers, signature verifier, tool arguments,
# gym extractor) for 3 s each in `make test`; `make fuzz` runs each for
# FUZZTIME (default 1m). Seed corpora are under each package's testdata/fuzz.
fuzz-short:
	FUZZTIME=3s scripts/fuzz.sh

fuzz:
	FUZZTIME=$${FUZZTIME:-1m} scripts/fuzz.sh

bench:
	scripts/with-postgres.sh $(GO) test -run='^$$' -bench=. -benchmem ./...

# The chaos suite of RELIABILITY.md: SIGKILLs under load, PostgreSQL
# crashed and restarted (a durable cluster of its own: WITH_POSTGRES_CRASHABLE
# ignores TEST_DATABASE_URL), workouts logged by a tool, a failing model, a
# failing send API, two processes on one database, and a flood next to
# normal senders. Minutes per run; not part of `make test`.
CHAOS ?= $(GO) run ./cmd/loadtest -mode chaos -n 5000 -threads 500 -c 64 -drain 10m
chaos:
	WITH_POSTGRES_CRASHABLE=1 scripts/with-postgres.sh $(CHAOS) -kills 3 -pg-restarts 1 -workouts 0.2
	WITH_POSTGRES_CRASHABLE=1 scripts/with-postgres.sh $(CHAOS) -kills 0 -pg-restarts 1 -workouts 0.2
	WITH_POSTGRES_CRASHABLE=1 scripts/with-postgres.sh $(CHAOS) -kills 2 -processes 2 -pg-restarts 1 -send-fail 0.3 -workouts 0.2
	WITH_POSTGRES_CRASHABLE=1 scripts/with-postgres.sh $(CHAOS) -kills 3 -model-fail 0.3 -workouts 0.2
	scripts/with-postgres.sh $(CHAOS) -kills 3 -send-fail 0.3
	scripts/with-postgres.sh $(CHAOS) -kills 2 -processes 2
	$(CHAOS) -sqlite -kills 3
	scripts/with-postgres.sh $(GO) run ./cmd/loadtest -mode flood -flood 10000 -flood-senders 100
