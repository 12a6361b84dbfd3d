#!/usr/bin/env bash
# The whole job on an embedded SQLite database, no server needed: seed a synthetic province,
# show the plan, apply it, report lateness after the repair, and roll it back.
set -euo pipefail
BIN=${1:-bin/fixer}
DB=${FIXER_DEMO_DB:-fixer-demo.db}
ASOF="2021-12-09 17:00"   # the date of the Department's letter
export FIXER_DSN="sqlite:$DB"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

rm -f "$DB"
step "fixer seed: a synthetic province, year 2021 ($DB)"
"$BIN" seed --year 2021

step "fixer report: lateness as stored by the legacy system, as of $ASOF"
"$BIN" report --as-of "$ASOF" 2>/dev/null

step "fixer plan: the dry run (log of skipped rows in fixer-demo-plan.log)"
"$BIN" plan --as-of "$ASOF" 2>fixer-demo-plan.log

step "fixer apply"
"$BIN" apply --as-of "$ASOF" --reason "Demo: letter of the Department of Information and Communications, Dec 2021" \
  --output json 2>fixer-demo-apply.log | tee fixer-demo-apply.json | grep -E '"(changeset_id|rows_changed|rows_skipped|values_changed|conflicts)"'
ID=$(grep -m1 '"changeset_id"' fixer-demo-apply.json | tr -dc '0-9')

step "fixer report: lateness after the repair"
"$BIN" report --as-of "$ASOF" 2>/dev/null

step "fixer history"
"$BIN" history

step "fixer rollback $ID"
"$BIN" rollback "$ID" 2>/dev/null

step "fixer report: lateness after the rollback (as before the repair)"
"$BIN" report --as-of "$ASOF" 2>/dev/null

echo
echo "Done. The database is $DB; logs are fixer-demo-*.log."
