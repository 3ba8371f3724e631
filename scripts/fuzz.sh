#!/bin/sh
# Runs every fuzz target of the module for FUZZTIME each (default 3s):
# `make test` runs them briefly, `make fuzz` longer (FUZZTIME=1m).
# New inputs that fail are written under the package's testdata/fuzz, to be
# committed with the fix.
#
# A target that fails with a bare "context deadline exceeded" and wrote no
# failing input has hit a race in Go's fuzzing coordinator at the end of
# -fuzztime (go.dev/issue/75804, fixed in Go 1.27; this module is on 1.26),
# not a finding: it is run once more, and fails only if it fails again or
# writes an input.
set -eu
FUZZTIME="${FUZZTIME:-3s}"
GO="${GO:-go}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for pkg in $($GO list ./...); do
	dir=$($GO list -f '{{.Dir}}' "$pkg")
	for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
		for try in 1 2; do
			echo "fuzz $pkg $target ($FUZZTIME)"
			if $GO test -run='^$' -fuzz="^${target}\$" -fuzztime="$FUZZTIME" "$pkg" >"$out" 2>&1; then
				cat "$out"
				break
			fi
			cat "$out"
			if [ "$try" = 1 ] && grep -q 'context deadline exceeded' "$out" && ! grep -q 'Failing input written to' "$out"; then
				echo "fuzz: $target stopped on Go's end-of-fuzzing race (no failing input); running it again"
				continue
			fi
			exit 1
		done
	done
done
