#!/usr/bin/env bash
# Measures fixer against the floor a DBA gets by hand: on PostgreSQL and on MariaDB/MySQL, in
# databases it creates and drops itself (fixer_bench, fixer_bench_run, fixer_bench_10m), it
# seeds 1,000,000 dossiers received in 2021 (every one in scope, nearly every one changing),
# then times, each on a fresh identical copy of that data:
#   - fixer plan (the dry run);
#   - fixer apply, audit rows included;
#   - plain server-side UPDATEs of the same columns of the same tables (dossiers and
#     dossier_steps), the floor;
# and measures the peak RSS of fixer apply with /usr/bin/time -v. The same for 10,000,000
# dossiers (RSS only) when BENCH_10M=1: that part takes long and needs some 20 GB of disk.
#
# Usage: scripts/bench.sh BIN
#   BIN              the fixer binary (make bench builds bin/fixer)
#   BENCH_DOSSIERS   dossiers of the main run (default 1000000)
#   BENCH_10M=1      also seed 10,000,000 dossiers and measure the RSS of apply on them
#   BENCH_ENGINES    engines to measure (default "postgres mysql")
#   BENCH_WORKERS    --workers of plan and apply (default 1, fixer's default)
#   BENCH_PG_PORT    PostgreSQL port on 127.0.0.1 (default 5432; user postgres, trust auth)
#   BENCH_MYSQL_PORT MariaDB/MySQL port on 127.0.0.1 (default 3306; user root, no password)
#
# It ends with lines of the form
#   bench postgres apply/update: 1.62
#   bench postgres plan/update: 0.31
#   bench postgres rss_mb 1M: 58
#   bench postgres rss_mb 10M: n/a
# and the same for mysql. The ratios divide wall-clock seconds; "n/a" marks what was not
# measured. Timing uses hyperfine for the plan when it is installed, date otherwise.
set -euo pipefail

BIN=${1:?usage: scripts/bench.sh BIN}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
[ -x "$BIN" ] || { echo "bench: $BIN is not an executable" >&2; exit 2; }
DOSSIERS=${BENCH_DOSSIERS:-1000000}
ENGINES=${BENCH_ENGINES:-postgres mysql}
PG_PORT=${BENCH_PG_PORT:-5432}
MYSQL_PORT=${BENCH_MYSQL_PORT:-3306}
AS_OF='2021-12-09 17:00'
DATABASES=(fixer_bench fixer_bench_run fixer_bench_10m)

work=$(mktemp -d)
declare -A result
export PGOPTIONS='-c client_min_messages=warning' # no NOTICE for DROP ... IF EXISTS

log() { echo "bench: $*" >&2; }

now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# sql ENGINE DATABASE STATEMENTS: runs statements as the administrator, quietly, stopping at
# the first error.
sql() {
	local engine=$1 database=$2 statements=$3
	if [ "$engine" = postgres ]; then
		psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$database" -v ON_ERROR_STOP=1 -c "$statements" >/dev/null
	else
		mysql -h 127.0.0.1 -P "$MYSQL_PORT" -u root "$database" -e "$statements"
	fi
}

admin_db() { if [ "$1" = postgres ]; then echo postgres; else echo mysql; fi; }

dsn() {
	if [ "$1" = postgres ]; then
		echo "postgres://postgres@127.0.0.1:$PG_PORT/$2?sslmode=disable"
	else
		echo "mysql://root@127.0.0.1:$MYSQL_PORT/$2"
	fi
}

drop_db() {
	local engine=$1 name=$2
	if [ "$engine" = postgres ]; then
		sql postgres postgres "DROP DATABASE IF EXISTS $name WITH (FORCE)"
	else
		sql mysql mysql "DROP DATABASE IF EXISTS $name"
	fi
}

create_db() { drop_db "$1" "$2"; sql "$1" "$(admin_db "$1")" "CREATE DATABASE $2"; }

cleanup() {
	for engine in $ENGINES; do
		for name in "${DATABASES[@]}"; do
			drop_db "$engine" "$name" 2>/dev/null || true
		done
	done
	rm -rf "$work"
}
trap cleanup EXIT

# analyze ENGINE DATABASE: fresh planner statistics, on PostgreSQL hint bits and the
# visibility map set, and the dirty pages of the load written out (a checkpoint; InnoDB's
# flushing until few dirty pages remain, at most a minute), so that no measured run pays for
# the load that preceded it.
analyze() {
	if [ "$1" = postgres ]; then
		sql postgres "$2" "VACUUM ANALYZE"
		sql postgres "$2" "CHECKPOINT"
	else
		sql mysql "$2" "ANALYZE TABLE agencies, procedures, procedure_steps, dossiers, dossier_steps" >/dev/null
		local pct dirty i
		pct=$(mysql -h 127.0.0.1 -P "$MYSQL_PORT" -u root -N -B -e "SELECT @@innodb_max_dirty_pages_pct")
		sql mysql mysql "SET GLOBAL innodb_max_dirty_pages_pct = 0"
		for i in $(seq 60); do
			dirty=$(mysql -h 127.0.0.1 -P "$MYSQL_PORT" -u root -N -B -e \
				"SELECT variable_value FROM information_schema.global_status WHERE variable_name = 'INNODB_BUFFER_POOL_PAGES_DIRTY'")
			[ "${dirty:-0}" -lt 100 ] && break
			sleep 1
		done
		sql mysql mysql "SET GLOBAL innodb_max_dirty_pages_pct = $pct"
	fi
	sync
}

# fresh_copy ENGINE: fixer_bench_run becomes an identical copy of the seeded fixer_bench.
fresh_copy() {
	local engine=$1
	if [ "$engine" = postgres ]; then
		drop_db postgres fixer_bench_run
		sql postgres postgres "CREATE DATABASE fixer_bench_run TEMPLATE fixer_bench"
		sql postgres fixer_bench_run "CHECKPOINT"
		sync
	else
		create_db mysql fixer_bench_run
		for t in agencies procedures procedure_steps dossiers dossier_steps; do
			sql mysql fixer_bench_run "CREATE TABLE $t LIKE fixer_bench.$t; INSERT INTO $t SELECT * FROM fixer_bench.$t"
		done
		analyze mysql fixer_bench_run
	fi
}

# seed ENGINE DATABASE N
seed() {
	local started
	create_db "$1" "$2"
	started=$(now)
	"$BIN" seed --dsn "$(dsn "$1" "$2")" --dossiers "$3" --year 2021 >"$work/seed.out" 2>"$work/seed.err" ||
		{ cat "$work/seed.err" >&2; exit 1; }
	log "$1: seeded $3 dossiers in $(seconds_since "$started") s"
	analyze "$1" "$2"
}

# timed_fixer ENGINE NAME ARGS...: runs fixer under /usr/bin/time -v, records its wall-clock
# seconds in result[ENGINE.NAME] and its peak RSS in MB in result[ENGINE.NAME.rss], and logs
# its CPU seconds: the rest of the wall-clock time is spent waiting for the server.
timed_fixer() {
	local engine=$1 name=$2 started secs kb cpu
	shift 2
	started=$(now)
	/usr/bin/time -v -o "$work/time.txt" "$BIN" "$@" >"$work/$engine.$name.out" 2>"$work/$engine.$name.err" ||
		{ log "$engine: fixer $name failed:"; tail -n 5 "$work/$engine.$name.err" >&2; exit 1; }
	secs=$(seconds_since "$started")
	kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
	cpu=$(awk -F': ' '/(User|System) time/ { s += $2 } END { printf "%.2f", s }' "$work/time.txt")
	result[$engine.$name]=$secs
	result[$engine.$name.rss]=$(( (kb + 512) / 1024 ))
	log "$engine: fixer $name: $secs s ($cpu s of CPU in fixer), peak RSS ${result[$engine.$name.rss]} MB"
}

# The floor: the same columns of the same tables written by the server itself. Every seeded
# dossier is in scope (received in 2021); the rows fixer leaves alone (guards, skips) are
# written here too, so the floor is if anything a little high.
update_sql() {
	if [ "$1" = postgres ]; then
		cat <<-'SQL'
		BEGIN;
		UPDATE dossiers SET appointment_at = appointment_at + interval '1 hour',
		       due_at = due_at + interval '1 hour', is_late = 1 - COALESCE(is_late, 0)
		 WHERE completed_at IS NULL OR (received_at >= '2021-01-01' AND received_at < '2022-01-01');
		UPDATE dossier_steps SET due_at = due_at + interval '1 hour';
		COMMIT;
		SQL
	else
		cat <<-'SQL'
		START TRANSACTION;
		UPDATE dossiers SET appointment_at = appointment_at + INTERVAL 1 HOUR,
		       due_at = due_at + INTERVAL 1 HOUR, is_late = 1 - COALESCE(is_late, 0)
		 WHERE completed_at IS NULL OR (received_at >= '2021-01-01' AND received_at < '2022-01-01');
		UPDATE dossier_steps SET due_at = due_at + INTERVAL 1 HOUR;
		COMMIT;
		SQL
	fi
}

time_plan() {
	local engine=$1
	if command -v hyperfine >/dev/null 2>&1; then
		hyperfine --runs 3 --warmup 1 --export-csv "$work/plan.csv" \
			"'$BIN' plan --dsn '$(dsn "$engine" fixer_bench)' --output json --as-of '$AS_OF' --workers ${BENCH_WORKERS:-1}" >&2
		result[$engine.plan]=$(awk -F, 'NR == 2 { printf "%.2f", $2 }' "$work/plan.csv")
	else
		timed_fixer "$engine" plan plan --dsn "$(dsn "$engine" fixer_bench)" --output json --as-of "$AS_OF" --workers "${BENCH_WORKERS:-1}"
	fi
}

bench_engine() {
	local engine=$1 started rows
	seed "$engine" fixer_bench "$DOSSIERS"

	time_plan "$engine"

	fresh_copy "$engine"
	timed_fixer "$engine" apply apply --dsn "$(dsn "$engine" fixer_bench_run)" --reason "bench" --output json --as-of "$AS_OF" \
		--workers "${BENCH_WORKERS:-1}"
	rows=$(awk -F': ' '/"rows_changed"/ { gsub(/,/, "", $2); print $2; exit }' "$work/$engine.apply.out")
	log "$engine: apply changed $rows rows"

	fresh_copy "$engine"
	started=$(now)
	sql "$engine" fixer_bench_run "$(update_sql "$engine")"
	result[$engine.update]=$(seconds_since "$started")
	log "$engine: plain UPDATE: ${result[$engine.update]} s"
	drop_db "$engine" fixer_bench_run

	if [ "${BENCH_10M:-}" = 1 ]; then
		seed "$engine" fixer_bench_10m 10000000
		timed_fixer "$engine" apply10m apply --dsn "$(dsn "$engine" fixer_bench_10m)" --reason "bench" \
			--output json --as-of "$AS_OF"
		drop_db "$engine" fixer_bench_10m
	fi
	drop_db "$engine" fixer_bench
}

for engine in $ENGINES; do
	bench_engine "$engine"
done

[ "${BENCH_10M:-}" = 1 ] || log "10M part skipped: set BENCH_10M=1 to seed 10,000,000 dossiers (long; ~20 GB of disk)"
label=$(( DOSSIERS / 1000000 ))M
[ "$DOSSIERS" -ge 1000000 ] || label=$DOSSIERS
for engine in $ENGINES; do
	echo "bench $engine apply/update: $(ratio "${result[$engine.apply]}" "${result[$engine.update]}")"
	echo "bench $engine plan/update: $(ratio "${result[$engine.plan]}" "${result[$engine.update]}")"
	echo "bench $engine rss_mb $label: ${result[$engine.apply.rss]}"
	echo "bench $engine rss_mb 10M: ${result[$engine.apply10m.rss]:-n/a}"
done
for engine in $ENGINES; do
	log "$engine seconds: plan ${result[$engine.plan]}, apply ${result[$engine.apply]}, update ${result[$engine.update]}"
done
