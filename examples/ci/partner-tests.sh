#!/usr/bin/env bash
# A partner's tests in CI, against a server started with examples/ci/seed.yaml (README "Running
# it in your CI"). The credentials are known before the server starts, so nothing runs between
# the start and these tests: an app token by client credentials, a user token for a test
# account on a test clock (the partner is a sandbox, CONTRACT §9: no browser in CI), an enrollment
# into the declared promotion, and the clean-up. Every status is checked; exit 1 on the first
# mismatch, 3 when the server cannot be reached.
#
#   PROMOTIONS_URL=http://127.0.0.1:3000 ACME_CLIENT_SECRET=… examples/ci/partner-tests.sh
#
# Needs curl and node (to read JSON).
set -euo pipefail

BASE="${PROMOTIONS_URL:-http://127.0.0.1:3000}"
BASE="${BASE%/}"
CLIENT_ID=acme-ci                 # partners[0].client_id in seed.yaml
CLIENT_SECRET="${ACME_CLIENT_SECRET:?set ACME_CLIENT_SECRET, the variable seed.yaml names}"
PROMOTION_ID=acme_ci_promotion    # promotions[0].id in seed.yaml

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
BODY="$WORK/body"
STEP=0

# call <expected status> <description> <curl args…>
call() {
  local expected="$1" description="$2"
  shift 2
  STEP=$((STEP + 1))
  local status
  status="$(curl -sS -o "$BODY" -w '%{http_code}' "$@")" || {
    echo "✗ step $STEP ($description): curl could not reach $BASE" >&2
    exit 3
  }
  if [ "$status" != "$expected" ]; then
    echo "✗ step $STEP ($description): expected HTTP $expected, got $status" >&2
    cat "$BODY" >&2
    echo >&2
    exit 1
  fi
  echo "✓ $STEP. $status  $description"
}

# field <name>: a top-level field of the last JSON answer.
field() {
  node -e 'const v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]];
    if (v === undefined) { console.error(`no "${process.argv[2]}" in the answer`); process.exit(1); }
    process.stdout.write(String(v));' "$BODY" "$1"
}

expect_equal() {
  if [ "$1" != "$2" ]; then
    echo "✗ step $STEP: expected $3 to be \"$2\", got \"$1\"" >&2
    exit 1
  fi
}

JSON=(-H 'Content-Type: application/json')

call 200 "app token for $CLIENT_ID by client credentials" \
  -X POST "$BASE/oauth/token" -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials
APP=(-H "Authorization: Bearer $(field access_token)")

call 201 "a test clock at the current time" -X POST "$BASE/v2/test_helpers/test_clocks" "${APP[@]}" "${JSON[@]}" \
  -d "{\"frozen_time\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",\"name\":\"partner CI\"}"
CLOCK_ID="$(field id)"

call 201 "a test account on the clock, with a user token" \
  -X POST "$BASE/v2/test_helpers/test_clocks/$CLOCK_ID/accounts" "${APP[@]}" "${JSON[@]}" -d '{}'
USER=(-H "Authorization: Bearer $(field access_token)")

call 201 "enroll it into $PROMOTION_ID" -X POST "$BASE/v2/promotions" "${USER[@]}" "${JSON[@]}" \
  -d "{\"promotion_id\":\"$PROMOTION_ID\"}"
ENROLLMENT_ID="$(field enrollment_id)"

call 200 "read the enrollment" "$BASE/v2/promotions/$ENROLLMENT_ID" "${USER[@]}"
expect_equal "$(field status)" enrolled "status"
expect_equal "$(field task_limit_per_month)" 100 "task_limit_per_month"

call 204 "delete the clock (its account and enrollment go with it)" \
  -X DELETE "$BASE/v2/test_helpers/test_clocks/$CLOCK_ID" "${APP[@]}"

echo "All $STEP steps answered as expected."
