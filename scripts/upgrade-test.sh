#!/usr/bin/env bash
# Upgrade without downtime, proven (docs/OPERATIONS.md, "Upgrade"): the previous build serves a
# fresh PostgreSQL database under a small bounded load; this build starts on the same database
# (and migrates it) while the previous one keeps serving; neither may answer an error (5xx, or
# a refused connection) during or after, and both must have answered.
#
#   bash scripts/upgrade-test.sh [ref]     ref: the previous release (default HEAD~1)
#
# Needs PostgreSQL at $PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), this
# checkout's dependencies installed (npm ci), and Node 22+ first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
REF="${1:-HEAD~1}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
AFTER_SECONDS="${AFTER_SECONDS:-15}"
ACCOUNTS="${ACCOUNTS:-160}"
ADMIN_TOKEN="upgrade-test-admin-token-0123456789"
OLD_PORT="${OLD_PORT:-3871}"
NEW_PORT="${NEW_PORT:-3872}"
DB="upgrade_test_$$"
DB_URL="${PG_ADMIN_URL%/*}/$DB"
WORK="$(mktemp -d)"
OLD_PID=""
NEW_PID=""
t0=$SECONDS

say() { printf '[upgrade-test %3ds] %s\n' "$((SECONDS - t0))" "$*"; }

cleanup() {
  for pid in $NEW_PID $OLD_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in $NEW_PID $OLD_PID; do wait "$pid" 2>/dev/null || true; done
  git -C "$REPO" worktree remove --force "$WORK/old" >/dev/null 2>&1 || true
  psql "$PG_ADMIN_URL" -qc "drop database if exists $DB with (force)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_healthy() {
  local url="$1" pid="$2" log="$3"
  for _ in $(seq 1 120); do
    if curl -fsS "$url/healthz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then say "server exited; its log:"; cat "$log"; exit 1; fi
    sleep 0.5
  done
  say "no /healthz from $url after 60 s; log:"; cat "$log"; exit 1
}

# The server as npm start runs it, on the shared database. Load shedding is off: on a busy CI
# machine it answers 503 by design, and this test is about the schema, not about overload.
serve() {
  local dir="$1" port="$2" log="$3"
  (cd "$dir" && exec env DATABASE_URL="$DB_URL" PORT="$port" HOST=127.0.0.1 ADMIN_TOKEN="$ADMIN_TOKEN" \
    DATA_DIR="$WORK/data-$port" LOG_LEVEL=warn MAX_EVENT_LOOP_DELAY_MS=0 \
    RATE_LIMIT_PER_HOUR=1000000 RATE_LIMIT_IP_PER_HOUR=1000000 \
    node dist/src/server.js) >"$log" 2>&1 &
  echo $!
}

OLD_SHA="$(git rev-parse --short "$REF")"
NEW_SHA="$(git rev-parse --short HEAD)"
say "previous build: $REF ($OLD_SHA); this build: $NEW_SHA$(git diff --quiet HEAD -- src migrations || echo ' + working tree')"
git worktree add --quiet --detach "$WORK/old" "$REF"
(cd "$WORK/old" && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npm run build >/dev/null)
say "previous build ready"
npm run build >/dev/null
say "this build ready"

psql "$PG_ADMIN_URL" -qc "create database $DB" >/dev/null
OLD_LOG="$WORK/old.log"
NEW_LOG="$WORK/new.log"
OLD_PID="$(serve "$WORK/old" "$OLD_PORT" "$OLD_LOG")"
wait_healthy "http://127.0.0.1:$OLD_PORT" "$OLD_PID" "$OLD_LOG"
say "previous build serving on :$OLD_PORT (database $DB, migrated by it)"
node scripts/ops-load.mjs seed "http://127.0.0.1:$OLD_PORT" "$ADMIN_TOKEN" "$ACCOUNTS" "$WORK/seed.json"
say "seeded $ACCOUNTS accounts with tokens through the previous build"

node scripts/ops-load.mjs run "$WORK/seed.json" 300 "$WORK/result.json" \
  "http://127.0.0.1:$OLD_PORT" "http://127.0.0.1:$NEW_PORT" &
LOAD_PID=$!
sleep 5
say "starting this build on the same database while the previous one serves"
NEW_PID="$(serve "$REPO" "$NEW_PORT" "$NEW_LOG")"
wait_healthy "http://127.0.0.1:$NEW_PORT" "$NEW_PID" "$NEW_LOG"
say "this build serving on :$NEW_PORT (migrations applied); both keep serving for $AFTER_SECONDS s"
sleep "$AFTER_SECONDS"
touch "$WORK/result.json.stop"
wait "$LOAD_PID"
say "load done"

node --input-type=module - "$WORK/result.json" <<'EOF'
import { readFileSync } from 'node:fs';
const result = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const bad = [];
for (const s of result) {
  const errors = Object.entries(s.counts).filter(([status]) => status === 'refused' || Number(status) >= 500);
  const ok = Object.entries(s.counts).filter(([status]) => Number(status) >= 200 && Number(status) < 300);
  const unexpected = Object.keys(s.counts).filter((status) => !['200', '201', 'refused'].includes(status) && Number(status) < 500);
  if (errors.length) bad.push(`${s.url}: error answers ${JSON.stringify(Object.fromEntries(errors))}\n  ${s.errors.join('\n  ')}`);
  if (unexpected.length) bad.push(`${s.url}: unexpected statuses ${unexpected.join(', ')}`);
  if (!s.up || ok.length === 0) bad.push(`${s.url}: never answered a 2xx`);
}
if (bad.length) {
  console.error(`FAIL\n${bad.join('\n')}`);
  process.exit(1);
}
console.log('no error answer from either build, during or after the migration');
EOF
if grep -E '"level":(50|60)' "$OLD_LOG" "$NEW_LOG"; then say "FAIL: error lines in the servers' logs"; exit 1; fi
say "PASS in $((SECONDS - t0)) s"
