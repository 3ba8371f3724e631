#!/bin/sh
# Runs every fuzz target of the module for FUZZTIME each (default 3s):
# `make test` runs them briefly, `make fuzz` longer (FUZZTIME=1m).
# New inputs that fail are written under the package's testdata/fuzz, to be
# committed with the fix.
set -eu
FUZZTIME="${FUZZTIME:-3s}"
GO="${GO:-go}"
for pkg in $($GO list ./...); do
	dir=$($GO list -f '{{.Dir}}' "$pkg")
	for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
		echo "fuzz $pkg $target ($FUZZTIME)"
		$GO test -run='^$' -fuzz="^${target}\$" -fuzztime="$FUZZTIME" "$pkg"
	done
done
