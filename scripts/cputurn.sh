#!/bin/bash
# CPU per turn of an agent benchmark, ours and PostgreSQL's (BENCHMARKS.md,
# "Why targets 1 and 2 stop where they are").
#
#   go test -c -o /tmp/agent.test ./flows/agent/
#   TEST_DATABASE_URL=postgres://... PGDATA=/path/to/cluster \
#     scripts/cputurn.sh /tmp/agent.test 'BenchmarkTurn$/postgres/step$' 3s
#
# It prints turns/s, the benchmark process's CPU per turn and PostgreSQL's:
# the utime+stime of the postmaster's live children and the CPU of those
# that exited (the postmaster's cutime+cstime), read from /proc before and
# after. The server must run on this machine, as the user of PGDATA or root.
# n counts every iteration the benchmark ran, its ramp-up included, so the
# figures per turn are close, not exact.
set -eu
bin=$1 bench=$2 benchtime=${3:-3s}
: "${TEST_DATABASE_URL:?set TEST_DATABASE_URL}" "${PGDATA:?set PGDATA to the data directory of the server}"
pm=$(head -1 "$PGDATA/postmaster.pid")
children() {
	local s=0 p t
	for p in $(pgrep -P "$pm"); do
		t=$(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0)
		s=$((s + t))
	done
	echo "$s"
}
postmaster() { awk '{print $14+$15+$16+$17}' "/proc/$pm/stat"; }
a=$(postmaster) b=$(children)
out=$({ /usr/bin/time -f "%U %S" "$bin" -test.run '^$' -test.bench "$bench" -test.benchtime "$benchtime"; } 2>&1)
c=$(postmaster) d=$(children)
n=$(echo "$out" | grep -E '^Benchmark' | awk '{print $2}' | tail -1)
tps=$(echo "$out" | grep -o '[0-9.]* turns/s' | tail -1)
read -r u s <<<"$(echo "$out" | tail -1)"
tick=$(getconf CLK_TCK)
echo "$tps n=$n go_cpu_us/turn=$(echo "($u+$s)*1000000/$n" | bc) pg_cpu_us/turn=$(echo "(($c-$a)+($d-$b))*1000000/$tick/$n" | bc)"
