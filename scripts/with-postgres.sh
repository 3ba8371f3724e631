#!/usr/bin/env bash
# with-postgres.sh CMD [ARGS...]
#
# Runs CMD with TEST_DATABASE_URL pointing at a PostgreSQL server.
#
#   - If TEST_DATABASE_URL is already set, CMD runs as is.
#   - Otherwise a throwaway cluster is made from the installed PostgreSQL
#     binaries (initdb in a temporary directory, a free loopback port,
#     fsync off: it is for tests only), CMD runs against it, and the cluster is
#     stopped and its directory removed on exit, whatever happens.
#
# The exit status is CMD's. PostgreSQL binaries are looked for in PATH and in
# /usr/lib/postgresql/*/bin (newest first). When none is found and we are root
# on Debian or Ubuntu, the postgresql package is installed; otherwise the
# script says how to install it. PostgreSQL refuses to run as root, so as root
# the server runs as the "postgres" system user (created when missing).
#
# WITH_POSTGRES_CRASHABLE=1 is for the chaos suite (make chaos): a cluster of
# its own is made even when TEST_DATABASE_URL is set, with fsync and
# synchronous commit on (durable, as in production), and
# WITH_POSTGRES_RESTART names an executable that restarts it the harsh way
# (pg_ctl restart -m immediate: the server stops without a checkpoint, as in
# a crash, and recovers from its WAL), as the server's user.
set -euo pipefail

if [ "$#" -eq 0 ]; then
	echo "usage: $0 CMD [ARGS...]" >&2
	exit 2
fi

CRASHABLE="${WITH_POSTGRES_CRASHABLE:-}"
if [ -n "${TEST_DATABASE_URL:-}" ] && [ -z "$CRASHABLE" ]; then
	exec "$@"
fi

log() { echo "with-postgres: $*" >&2; }

find_bindir() {
	local d
	if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
		dirname "$(readlink -f "$(command -v pg_ctl)")"
		return 0
	fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4 -rn); do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

install_hint() {
	cat >&2 <<'EOF'
with-postgres: no PostgreSQL server binaries (initdb, pg_ctl, postgres) found
in PATH or /usr/lib/postgresql/*/bin. Install them, for example:
  Debian/Ubuntu:  sudo apt-get install -y postgresql
  Fedora/RHEL:    sudo dnf install -y postgresql-server
  macOS:          brew install postgresql
or point TEST_DATABASE_URL at a server you already run:
  TEST_DATABASE_URL=postgres://user:pass@localhost:5432/postgres make test
EOF
}

if ! BINDIR=$(find_bindir); then
	if [ "$(id -u)" -eq 0 ] && [ -r /etc/os-release ] && command -v apt-get >/dev/null 2>&1 &&
		grep -Eqi '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; then
		log "installing PostgreSQL with apt-get"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update >&2
		apt-get install -y --no-install-recommends postgresql >&2
		BINDIR=$(find_bindir) || {
			install_hint
			exit 1
		}
	else
		install_hint
		exit 1
	fi
fi

# The user the server runs as: ourselves, or "postgres" when we are root.
RUN_AS=""
if [ "$(id -u)" -eq 0 ]; then
	RUN_AS=postgres
	if ! id -u "$RUN_AS" >/dev/null 2>&1; then
		log "creating system user $RUN_AS"
		if command -v useradd >/dev/null 2>&1; then
			useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$RUN_AS"
		else
			adduser --system --group --no-create-home "$RUN_AS" >&2
		fi
	fi
fi

as_server_user() {
	if [ -n "$RUN_AS" ]; then
		if command -v runuser >/dev/null 2>&1; then
			runuser -u "$RUN_AS" -- "$@"
		else
			su -s /bin/sh "$RUN_AS" -c "$(printf '%q ' "$@")"
		fi
	else
		"$@"
	fi
}

free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# As root the server user must reach the directory: use /tmp, not a TMPDIR
# that may be private to root.
if [ -n "$RUN_AS" ]; then
	TMP=$(mktemp -d /tmp/with-postgres.XXXXXX)
else
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/with-postgres.XXXXXX")
fi
DATA="$TMP/data"
SOCK="$TMP/sock"
mkdir -p "$DATA" "$SOCK"
chmod 755 "$TMP"
if [ -n "$RUN_AS" ]; then
	chown -R "$RUN_AS" "$TMP"
fi

cleanup() {
	local code=$?
	if [ -f "$DATA/postmaster.pid" ]; then
		as_server_user "$BINDIR/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$TMP"
	exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT=$(free_port) || {
	log "no free port found"
	exit 1
}
PASS=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$PASS" >"$TMP/pwfile"
if [ -n "$RUN_AS" ]; then
	chown "$RUN_AS" "$TMP/pwfile"
fi

log "initdb with $BINDIR in $DATA (port $PORT)"
as_server_user "$BINDIR/initdb" -D "$DATA" -U postgres --pwfile="$TMP/pwfile" \
	--auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$TMP/initdb.log" 2>&1 || {
	cat "$TMP/initdb.log" >&2
	exit 1
}
rm -f "$TMP/pwfile"

# Tests need no durability: fsync off makes them faster. A crashable cluster
# is durable, so that a crash loses nothing committed.
DURABILITY="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
if [ -n "$CRASHABLE" ]; then
	DURABILITY="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
fi
as_server_user "$BINDIR/pg_ctl" -D "$DATA" -l "$TMP/server.log" -w -t 60 start \
	-o "-c listen_addresses=127.0.0.1 -p $PORT -k $SOCK $DURABILITY -c max_connections=300" \
	>/dev/null || {
	log "server did not start:"
	cat "$TMP/server.log" >&2
	exit 1
}

export TEST_DATABASE_URL="postgres://postgres:$PASS@127.0.0.1:$PORT/postgres?sslmode=disable"
if [ -n "$CRASHABLE" ]; then
	# The restart script runs pg_ctl as the server's user, like
	# as_server_user, with the options of the start.
	AS=""
	if [ -n "$RUN_AS" ]; then
		AS=$(printf 'runuser -u %q -- ' "$RUN_AS")
		command -v runuser >/dev/null 2>&1 || AS=$(printf 'su -s /bin/sh %q -c ' "$RUN_AS")
	fi
	CTL=$(printf '%q -D %q -l %q -w -t 120' "$BINDIR/pg_ctl" "$DATA" "$TMP/server.log")
	OPTS="-c listen_addresses=127.0.0.1 -p $PORT -k $SOCK $DURABILITY -c max_connections=300"
	{
		echo '#!/bin/sh'
		echo '# restart [SECONDS]: stops the with-postgres cluster as in a crash (no'
		echo '# shutdown checkpoint), keeps it down SECONDS (default 0), starts it again.'
		echo 'set -e'
		if [ -n "$RUN_AS" ] && ! command -v runuser >/dev/null 2>&1; then
			printf '%s%q\n' "$AS" "$CTL -m immediate stop"
			echo 'sleep "${1:-0}"'
			printf '%s%q\n' "$AS" "$CTL start -o $(printf '%q' "$OPTS")"
		else
			printf '%s%s -m immediate stop\n' "$AS" "$CTL"
			echo 'sleep "${1:-0}"'
			printf '%s%s start -o %q\n' "$AS" "$CTL" "$OPTS"
		fi
	} >"$TMP/restart"
	chmod 755 "$TMP/restart"
	export WITH_POSTGRES_RESTART="$TMP/restart"
	log "durable cluster (fsync on); $WITH_POSTGRES_RESTART restarts it as in a crash"
fi
log "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"

# CMD runs in the background (stdin kept) so that a TERM or INT sent to this
# script alone is passed on to it, and the cluster still goes away after.
set +e
"$@" <&0 &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM
trap 'kill -INT "$child" 2>/dev/null' INT
while :; do
	wait "$child"
	code=$?
	if [ "$code" -le 128 ] || ! kill -0 "$child" 2>/dev/null; then
		break
	fi
done
exit "$code"
