#!/usr/bin/env bash
# The restore drill of docs/OPERATIONS.md ("Backup and restore"), on PostgreSQL: data is made
# through the API (partner, promotion, accounts, enrollments, usage, a few unenrollments), every
# enrollment is read, the live database is dumped with `pg_dump -Fc`, restored with `pg_restore`
# into a fresh database, a server is started on the copy, and every enrollment must answer the
# same (status and body, byte for byte) as before.
#
#   bash scripts/restore-drill.sh
#
# Needs PostgreSQL at $PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) with
# pg_dump and pg_restore of the server's major version on PATH, this checkout built (npm run
# build, or npm ci), and Node 22+ first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
ACCOUNTS="${ACCOUNTS:-60}"
ADMIN_TOKEN="restore-drill-admin-token-0123456789"
PORT_A="${PORT_A:-3881}"
PORT_B="${PORT_B:-3882}"
SOURCE_DB="restore_drill_source_$$"
COPY_DB="restore_drill_copy_$$"
WORK="$(mktemp -d)"
PIDS=()
t0=$SECONDS

say() { printf '[restore-drill %3ds] %s\n' "$((SECONDS - t0))" "$*"; }
url_of() { echo "${PG_ADMIN_URL%/*}/$1"; }

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for db in "$SOURCE_DB" "$COPY_DB"; do
    psql "$PG_ADMIN_URL" -qc "drop database if exists $db with (force)" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

start() {
  local db="$1" port="$2" log="$WORK/server-$2.log"
  env DATABASE_URL="$(url_of "$db")" PORT="$port" HOST=127.0.0.1 ADMIN_TOKEN="$ADMIN_TOKEN" \
    DATA_DIR="$WORK/data-$port" LOG_LEVEL=warn MAX_EVENT_LOOP_DELAY_MS=0 \
    node dist/src/server.js >"$log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    kill -0 "${PIDS[-1]}" 2>/dev/null || { say "server exited:"; cat "$log"; exit 1; }
    sleep 0.5
  done
  say "no /healthz on :$port after 60 s:"; cat "$log"; exit 1
}

[ -f dist/src/server.js ] || npm run build >/dev/null
psql "$PG_ADMIN_URL" -qc "create database $SOURCE_DB" >/dev/null
start "$SOURCE_DB" "$PORT_A"
say "server on $SOURCE_DB (:$PORT_A)"
node scripts/ops-load.mjs seed "http://127.0.0.1:$PORT_A" "$ADMIN_TOKEN" "$ACCOUNTS" "$WORK/seed.json"
node scripts/ops-load.mjs enroll "$WORK/seed.json" "http://127.0.0.1:$PORT_A" "$ADMIN_TOKEN" "$WORK/enrolled.json"
node scripts/ops-load.mjs read "$WORK/enrolled.json" "http://127.0.0.1:$PORT_A" "$WORK/before.json"
say "$ACCOUNTS enrollments made and read through the API"

# The backup, taken while the server runs (pg_dump reads one consistent snapshot).
pg_dump -Fc --no-owner -f "$WORK/backup.dump" "$(url_of "$SOURCE_DB")"
say "pg_dump -Fc: $(du -h "$WORK/backup.dump" | cut -f1)"
psql "$PG_ADMIN_URL" -qc "create database $COPY_DB" >/dev/null
pg_restore --no-owner --exit-on-error -d "$(url_of "$COPY_DB")" "$WORK/backup.dump"
say "pg_restore into the fresh database $COPY_DB"

start "$COPY_DB" "$PORT_B"
say "server on the restored copy (:$PORT_B)"
node scripts/ops-load.mjs read "$WORK/enrolled.json" "http://127.0.0.1:$PORT_B" "$WORK/after.json"

node --input-type=module - "$WORK/before.json" "$WORK/after.json" <<'JS'
import { readFileSync } from 'node:fs';
const [before, after] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));
const ids = Object.keys(before);
const differ = ids.filter((id) => JSON.stringify(before[id]) !== JSON.stringify(after[id]));
const statuses = {};
for (const id of ids) statuses[before[id].status] = (statuses[before[id].status] ?? 0) + 1;
if (ids.length === 0 || differ.length > 0) {
  console.error(`FAIL: ${differ.length} of ${ids.length} enrollments answer differently after the restore`);
  for (const id of differ.slice(0, 5)) console.error(`${id}\n  before ${JSON.stringify(before[id])}\n  after  ${JSON.stringify(after[id])}`);
  process.exit(1);
}
if (!statuses[200] || !statuses[404]) {
  console.error(`FAIL: expected live (200) and unenrolled (404) enrollments, got ${JSON.stringify(statuses)}`);
  process.exit(1);
}
console.log(`every enrollment answers the same after the restore: ${ids.length} GETs ${JSON.stringify(statuses)}`);
JS
say "PASS in $((SECONDS - t0)) s"
