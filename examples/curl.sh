#!/usr/bin/env bash
# The README's walk-through as a script: an operator creates a partner, an account and a
# promotion; the partner enrolls the account with a user token, reads the enrollment, gets an
# app token by client credentials and unenrolls. Every answer's status code is checked; the
# script exits 1 on the first mismatch.
#
#   BASE=http://127.0.0.1:3000 ADMIN_TOKEN=adm_… examples/curl.sh
#   examples/curl.sh http://127.0.0.1:3000 adm_…
#
# ADMIN_TOKEN defaults to the contents of ${DATA_DIR:-./data}/admin-token (written by the
# server on its first start). Needs curl and node (to read JSON).
set -euo pipefail

BASE="${1:-${BASE:-http://127.0.0.1:3000}}"
BASE="${BASE%/}"
ADMIN_TOKEN="${2:-${ADMIN_TOKEN:-}}"
if [ -z "$ADMIN_TOKEN" ] && [ -f "${DATA_DIR:-./data}/admin-token" ]; then
  ADMIN_TOKEN="$(cat "${DATA_DIR:-./data}/admin-token")"
fi
if [ -z "$ADMIN_TOKEN" ]; then
  echo "usage: BASE=<url> ADMIN_TOKEN=<token> $0   (or: $0 <base> <admin token>)" >&2
  exit 2
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
BODY="$WORK/body"
HEADERS="$WORK/headers"
STEP=0

# call <expected status> <curl args…>: prints the step, fails on another status.
call() {
  local expected="$1"
  shift
  STEP=$((STEP + 1))
  local status
  status="$(curl -sS -o "$BODY" -D "$HEADERS" -w '%{http_code}' "$@")" || {
    echo "✗ step $STEP ($DESCRIPTION): curl could not reach $BASE" >&2
    exit 3
  }
  if [ "$status" != "$expected" ]; then
    # Not "$*": it holds the tokens.
    echo "✗ step $STEP ($DESCRIPTION): expected HTTP $expected, got $status" >&2
    cat "$BODY" >&2
    echo >&2
    exit 1
  fi
  echo "✓ $STEP. $status  $DESCRIPTION"
}

# field <name>: a top-level field of the last JSON answer.
field() {
  node -e 'const v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]];
    if (v === undefined) { console.error(`no "${process.argv[2]}" in the answer`); process.exit(1); }
    process.stdout.write(String(v));' "$BODY" "$1"
}

# error_code: the code of the first error of the last answer's envelope.
error_code() {
  node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).errors[0].code)' "$BODY"
}

expect_equal() {
  if [ "$1" != "$2" ]; then
    echo "✗ step $STEP: expected $3 to be \"$2\", got \"$1\"" >&2
    exit 1
  fi
}

ADMIN=(-H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json')
SUFFIX="$(date +%s)_$$"

# --- the operator -------------------------------------------------------------------------------
DESCRIPTION="admin: register a partner"
call 201 -X POST "$BASE/admin/v1/partners" "${ADMIN[@]}" \
  -d '{"name":"curl.sh partner","redirect_uris":["http://127.0.0.1:4000/callback"]}'
PARTNER_ID="$(field id)"
CLIENT_ID="$(field client_id)"
CLIENT_SECRET="$(field client_secret)"

DESCRIPTION="admin: create an account"
call 201 -X POST "$BASE/admin/v1/accounts" "${ADMIN[@]}" \
  -d "{\"email\":\"curl-$SUFFIX@example.com\",\"password\":\"a long password\"}"
ACCOUNT_ID="$(field id)"

PROMOTION_ID="curl_sh_$SUFFIX"
DESCRIPTION="admin: create promotion $PROMOTION_ID"
call 201 -X POST "$BASE/admin/v1/promotions" "${ADMIN[@]}" \
  -d "{\"id\":\"$PROMOTION_ID\",\"partner_id\":\"$PARTNER_ID\",\"name\":\"curl.sh\",\"duration_days\":90,\"task_limit_per_month\":100,\"max_enrollments\":1000}"

DESCRIPTION="admin: mint a user token for the account"
call 201 -X POST "$BASE/admin/v1/tokens" "${ADMIN[@]}" \
  -d "{\"client_id\":\"$CLIENT_ID\",\"account_id\":\"$ACCOUNT_ID\",\"scope\":\"promotions:read promotions:write\"}"
USER_TOKEN="$(field access_token)"

# --- the partner --------------------------------------------------------------------------------
DESCRIPTION="enroll the account (user token)"
call 201 -X POST "$BASE/v2/promotions" -H "Authorization: Bearer $USER_TOKEN" \
  -H 'Content-Type: application/json' -H "Idempotency-Key: curl-sh-$SUFFIX" \
  -d "{\"promotion_id\":\"$PROMOTION_ID\"}"
ENROLLMENT_ID="$(field enrollment_id)"
expect_equal "${ENROLLMENT_ID%%:*}" "$PROMOTION_ID" "the enrollment id's promotion"
LOCATION="$(grep -i '^location:' "$HEADERS" | tr -d '\r' | sed 's/^[Ll]ocation: *//')"
expect_equal "$LOCATION" "/v2/promotions/$ENROLLMENT_ID" "the Location header"

DESCRIPTION="read the enrollment"
call 200 "$BASE/v2/promotions/$ENROLLMENT_ID" -H "Authorization: Bearer $USER_TOKEN"
expect_equal "$(field status)" enrolled "status"
expect_equal "$(field tasks_used_this_month)" 0 "tasks_used_this_month"
expect_equal "$(field task_limit_per_month)" 100 "task_limit_per_month"
echo "     expires $(field expiration_date), billing cycle ends $(field billing_cycle_end)"

DESCRIPTION="enrolling again is refused (already_enrolled)"
call 409 -X POST "$BASE/v2/promotions" -H "Authorization: Bearer $USER_TOKEN" \
  -H 'Content-Type: application/json' -d "{\"promotion_id\":\"$PROMOTION_ID\"}"
expect_equal "$(error_code)" already_enrolled "the error code"

DESCRIPTION="app token by client credentials"
call 200 -X POST "$BASE/oauth/token" -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials
APP_TOKEN="$(field access_token)"

DESCRIPTION="unenroll (app token)"
call 204 -X DELETE "$BASE/v2/promotions/$ENROLLMENT_ID" -H "Authorization: Bearer $APP_TOKEN"

DESCRIPTION="the enrollment is gone"
call 404 "$BASE/v2/promotions/$ENROLLMENT_ID" -H "Authorization: Bearer $APP_TOKEN"
expect_equal "$(error_code)" enrollment_not_found "the error code"

echo "All $STEP steps answered as expected."
