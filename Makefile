# govpack — run `make run` to build the sample pack, `make test` to test.
GO ?= go
# Fuzz budgets are counts, not durations: a duration-based -fuzztime can
# fail with a spurious "context deadline exceeded" on Go 1.26 (go.dev/issue/75804).
FUZZTIME ?= 5000x

.PHONY: run serve build deps test fuzz vet fmt clean bench sample-ratify screenshots samesite

# Build the sample pack in content/ into content/public.
run:
	$(GO) run ./cmd/govpack build content
	@echo "open content/public/index.html in a browser"

# Preview the sample pack with live reload.
serve:
	$(GO) run ./cmd/govpack serve content

# Build the govpack binary into bin/.
build:
	$(GO) build -o bin/govpack ./cmd/govpack

# gofmt, vet, the race-enabled tests and a short run of every fuzz target.
test: deps fmt vet
	$(GO) test -race -count=1 ./...
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME)

# The tests drive Debian's chromium, read its PDFs with poppler-utils, sign
# with ssh-keygen and check accessibility with axe-core: install them when
# missing (as root, from Debian's packages; axe-core from npm into
# .cache/npm).
AXE_VERSION = 4.14.1
deps:
	@need=""; \
	command -v chromium >/dev/null || need="$$need chromium"; \
	command -v pdfinfo >/dev/null || need="$$need poppler-utils"; \
	command -v ssh-keygen >/dev/null || need="$$need openssh-client"; \
	command -v npm >/dev/null || need="$$need npm"; \
	if [ -n "$$need" ]; then \
	  echo "installing$$need from Debian's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$need fonts-dejavu-core; \
	fi
	@grep -qs '"version": "$(AXE_VERSION)"' .cache/npm/node_modules/axe-core/package.json || { \
	  echo "installing axe-core $(AXE_VERSION) from npm into .cache/npm"; \
	  npm install --prefix .cache/npm --no-audit --no-fund --silent axe-core@$(AXE_VERSION); }

# Screenshots of the sample site for the README, into docs/.
screenshots: deps
	$(GO) test ./cmd/govpack -run '^TestScreenshots$$' -count=1 -screenshots=$(CURDIR)/docs

fmt:
	@out=$$(gofmt -l cmd generator themes); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# Every fuzz target, FUZZTIME each (make fuzz FUZZTIME=2000000x, or a
# duration such as 10m, for a longer run).
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$target ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s $$pkg || exit 1; \
	  done; \
	done

clean:
	rm -rf bin content/public

# Benchmarks on generated packs of 1,000 and 10,000 documents (check,
# build in memory and on /dev/shm, govpack build as a process with its peak
# memory, the floor of the same files), the sample pack, and serve's reload
# after a save; then one table of medians over BENCHCOUNT runs. Takes
# minutes: CI does not run it.
BENCHCOUNT ?= 3
bench:
	@{ $(GO) test -run '^$$' -bench . -benchtime 1x -count $(BENCHCOUNT) -timeout 0 ./generator/synth; \
	  $(GO) test -run '^$$' -bench 'BuildSample' -benchtime 5x -count $(BENCHCOUNT) -timeout 0 ./generator; \
	  $(GO) test -run '^$$' -bench 'Rebuild1000|ServeReload' -benchtime 100x -count $(BENCHCOUNT) -timeout 0 ./generator/serve ./cmd/govpack; \
	} 2>&1 | $(GO) run ./generator/synth/cmd/benchtable

# Every site and build output the same at REV as in the working tree
# (make samesite REV=HEAD~3): the check for a restructuring.
samesite:
	scripts/samesite $(REV)

# Re-sign the sample pack with its test keys after editing it, dated the
# version's effective date so that re-signing the same sources changes nothing.
sample-ratify:
	@date=$$(sed -n 's/^effective = //p' content/govpack.toml); \
	for key in testdata/sample-keys/*.pub; do \
	  member=$$(basename $$key .pub); \
	  chmod 600 testdata/sample-keys/$$member; \
	  $(GO) run ./cmd/govpack sign content --member $$member --key testdata/sample-keys/$$member --date $$date || exit 1; \
	done
