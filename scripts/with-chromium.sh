#!/usr/bin/env bash
# with-chromium.sh CMD [ARGS...]
#
# Runs CMD with CHROMIUM pointing at a Chromium the console's browser tests
# can drive. When none is found and we are root on Debian or Ubuntu, the
# chromium package is installed with apt-get; otherwise CMD runs anyway and
# the browser tests skip with a message saying how to install it (they fail
# instead when CI=true, so a pipeline cannot pass by skipping them).
set -euo pipefail

if [ "$#" -eq 0 ]; then
	echo "usage: $0 CMD [ARGS...]" >&2
	exit 2
fi

log() { echo "with-chromium: $*" >&2; }

find_chromium() {
	local c
	if [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ]; then
		echo "$CHROMIUM"
		return 0
	fi
	for c in /usr/bin/chromium chromium chromium-browser; do
		if command -v "$c" >/dev/null 2>&1; then
			command -v "$c"
			return 0
		fi
	done
	return 1
}

if ! BIN=$(find_chromium); then
	if [ "$(id -u)" -eq 0 ] && [ -r /etc/os-release ] && command -v apt-get >/dev/null 2>&1 &&
		grep -Eqi '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; then
		log "installing Chromium with apt-get"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update >&2
		apt-get install -y --no-install-recommends chromium >&2
		BIN=$(find_chromium) || {
			log "chromium was installed but is not in PATH"
			exit 1
		}
	else
		log "no Chromium found; the console's browser tests will skip (install it: sudo apt-get install -y chromium)"
		exec "$@"
	fi
fi

export CHROMIUM="$BIN"
log "$("$BIN" --version 2>/dev/null || echo "$BIN")"
exec "$@"
