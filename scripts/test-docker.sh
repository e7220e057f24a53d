#!/usr/bin/env bash
# npm run test:docker — the Dockerfile and docker-compose.yml, proven on a real Docker engine.
#
# Image registries are unreachable here, so the Dockerfile's base image (node:24-bookworm-slim)
# is replaced by a stand-in with the same name: Debian bookworm (debootstrap --variant=minbase,
# cached under .cache/docker-base/) plus the newest Node of the tag's major from the npm
# registry (scripts/node-runtime.sh) and this machine's npm, user `node` (uid 1000),
# the machine's CA bundle and npm registry. Then the real Dockerfile is built with the legacy
# builder on the host network, the image is run against the machine's PostgreSQL and Redis,
# and docker-compose.yml is validated by Debian's docker-compose.
#
# Needs root and the Debian packages docker.io, debootstrap and docker-compose (.ci/run
# installs them), PostgreSQL at 127.0.0.1:5432 (user postgres) and Redis at 127.0.0.1:6379.
# Unless a Docker daemon already answers, it starts a private one (its own socket and data
# root, --bridge=none --iptables=false: containers use the host network only) and stops and
# deletes it at the end. Containers, images and the database it creates are removed even on
# failure. Prints PASS/FAIL lines and "N passed, M failed"; exits 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

PG_ADMIN_URL="${DOCKER_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
REDIS_URL_HOST="${DOCKER_TEST_REDIS_URL:-redis://127.0.0.1:6379}"
# The Dockerfile's FROM, exactly (both stages use the same base).
BASE_IMAGE="$(sed -n 's/^FROM \(node:[0-9]*-bookworm-slim\).*/\1/p' Dockerfile | sort -u)"
[[ "$BASE_IMAGE" =~ ^node:([0-9]+)-bookworm-slim$ ]] || {
  echo "FAIL the Dockerfile's stages share one node:<major>-bookworm-slim base (found: ${BASE_IMAGE:-none})"
  exit 1
}
BASE_NODE_MAJOR="${BASH_REMATCH[1]}"
CACHE_DIR="${DOCKER_BASE_CACHE:-$ROOT/.cache/docker-base}"
MAX_ADDED_BYTES=100000000 # the image may add < 100 MB to its base
STOP_GRACE=15             # docker-compose.yml's stop_grace_period
RUN_ID="$$"
IMAGE="promotions-test:$RUN_ID"
BUILD_IMAGE="promotions-test-build:$RUN_ID"
DB_NAME="promotions_docker_$RUN_ID"
REDIS_PREFIX="promotions-docker-test-$RUN_ID:"
ADMIN_TOKEN="docker-test-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"

PASSED=0
FAILED=0
pass() {
  PASSED=$((PASSED + 1))
  echo "PASS $*"
}
fail() {
  FAILED=$((FAILED + 1))
  echo "FAIL $*"
}
# check <description> <command…>: PASS if the command succeeds.
check() {
  local description="$1"
  shift
  if "$@"; then pass "$description"; else fail "$description"; fi
}
log() { echo "     $*"; }
summary() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}

WORK="$(mktemp -d /var/tmp/promotions-docker-test.XXXXXX)"
DOCKERD_PID=""
IMPORTED_BASE=0
CONTAINERS=()
DB_CREATED=0

docker() { /usr/bin/docker "$@"; }
psql_admin() { psql "$PG_ADMIN_URL" -qAt -v ON_ERROR_STOP=1 "$@"; }

cleanup() {
  set +e
  for c in "${CONTAINERS[@]}"; do docker rm -f "$c" >/dev/null 2>&1; done
  if [ -n "${DOCKER_HOST:-}" ] || docker info >/dev/null 2>&1; then
    docker rmi -f "$IMAGE" "$BUILD_IMAGE" >/dev/null 2>&1
    [ "$IMPORTED_BASE" -eq 1 ] && docker rmi -f "$BASE_IMAGE" >/dev/null 2>&1
  fi
  if [ -n "$DOCKERD_PID" ]; then
    kill -TERM "$DOCKERD_PID" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL "$DOCKERD_PID" 2>/dev/null
  fi
  if [ "$DB_CREATED" -eq 1 ]; then
    psql_admin -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null
  fi
  if command -v redis-cli >/dev/null; then
    redis-cli -u "$REDIS_URL_HOST" --scan --pattern "${REDIS_PREFIX}*" 2>/dev/null |
      xargs -r redis-cli -u "$REDIS_URL_HOST" del >/dev/null 2>&1
  fi
  # The private daemon's data and exec roots: dockerd leaves its netns mount behind.
  grep -o " $WORK/[^ ]*" /proc/mounts | sort -r | while read -r mount; do umount -l "$mount"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# abort <what>: a step everything after it needs failed; report and stop (cleanup runs).
abort() {
  fail "$*"
  summary
  exit 1
}

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# http_status <url>: the status code, 000 when nothing answers.
http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1"; }

# wait_status <url> <status> <seconds>
wait_status() {
  local until=$((SECONDS + $3))
  while [ "$SECONDS" -lt "$until" ]; do
    [ "$(http_status "$1")" = "$2" ] && return 0
    sleep 0.5
  done
  return 1
}

# ---------------------------------------------------------------------------- prerequisites
[ "$(id -u)" -eq 0 ] || abort "prerequisites: needs root (dockerd, debootstrap, chroot)"
for cmd in /usr/bin/docker dockerd debootstrap docker-compose psql curl node; do
  command -v "$cmd" >/dev/null || abort "prerequisites: $cmd not found (apt-get install docker.io debootstrap docker-compose)"
done
psql_admin -c 'SELECT 1' >/dev/null || abort "prerequisites: PostgreSQL at $PG_ADMIN_URL"

# ---------------------------------------------------------------------------- docker daemon
if docker info >/dev/null 2>&1; then
  log "using the Docker daemon that already runs"
else
  export DOCKER_HOST="unix://$WORK/docker.sock"
  dockerd --bridge=none --iptables=false --ip6tables=false \
    --data-root "$WORK/docker" --exec-root "$WORK/exec" --pidfile "$WORK/dockerd.pid" \
    -H "$DOCKER_HOST" >"$WORK/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || {
    tail -n 20 "$WORK/dockerd.log"
    abort "dockerd starts (--bridge=none --iptables=false)"
  }
  log "started a private dockerd (pid $DOCKERD_PID, $DOCKER_HOST)"
fi

# ---------------------------------------------------------------------------- base image
# Debian mirror and suite as apt is configured on this machine.
debian_mirror() {
  local uri
  uri="$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | grep -v security | awk '{print $2}' | head -n1)"
  [ -n "$uri" ] || uri="$(grep -hsE '^deb ' /etc/apt/sources.list | grep -v security | awk '{print $2}' | head -n1)"
  echo "${uri:-http://deb.debian.org/debian}"
}

build_base() {
  local rootfs="$WORK/rootfs" tarball="$CACHE_DIR/bookworm-minbase.tar"
  mkdir -p "$rootfs" "$CACHE_DIR"
  if [ -s "$tarball" ]; then
    log "Debian bookworm minbase from the cache ($tarball)"
    tar -C "$rootfs" -xf "$tarball" || return 1
  else
    log "debootstrap --variant=minbase bookworm from $(debian_mirror) (cached afterwards)"
    debootstrap --variant=minbase bookworm "$rootfs" "$(debian_mirror)" >"$WORK/debootstrap.log" 2>&1 ||
      { tail -n 20 "$WORK/debootstrap.log"; return 1; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  fi
  # The base's Node (from the npm registry) and this machine's npm, where the official image
  # keeps them (/usr/local).
  local node_bin npm_dir
  node_bin="$BASE_NODE_BIN/node"
  npm_dir="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
  mkdir -p "$rootfs/usr/local/bin" "$rootfs/usr/local/lib/node_modules" "$rootfs/usr/local/etc" "$rootfs/etc/ssl/certs"
  cp "$node_bin" "$rootfs/usr/local/bin/node"
  cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  chroot "$rootfs" groupadd --gid 1000 node &&
    chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node || return 1
  # npm ci inside the build reaches the registry as this machine does: same CA bundle, same registry.
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  echo "registry=$(npm config get registry)" >"$rootfs/usr/local/etc/npmrc"
  tar -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["node"]' - "$BASE_IMAGE" >/dev/null || return 1
  rm -rf "$rootfs"
}

if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  log "$BASE_IMAGE is already present: using it"
else
  t0=$SECONDS
  BASE_NODE_BIN="$(bash scripts/node-runtime.sh "$BASE_NODE_MAJOR")" ||
    abort "Node $BASE_NODE_MAJOR for the stand-in base from the npm registry (scripts/node-runtime.sh)"
  build_base || abort "stand-in for $BASE_IMAGE (debootstrap + Node $("$BASE_NODE_BIN/node" -v))"
  IMPORTED_BASE=1
  pass "stand-in for $BASE_IMAGE: bookworm minbase + Node $("$BASE_NODE_BIN/node" -v), user node uid 1000 ($((SECONDS - t0)) s)"
fi

# ---------------------------------------------------------------------------- build
# The legacy builder: BuildKit would try to pull the `# syntax=` frontend from a registry.
# The build stage is tagged too, so removing the tags removes every layer this run made.
# The release is baked in from the GIT_DESCRIBE build argument (the image has no .git).
GIT_DESCRIBE="$(git describe --tags --always --dirty 2>/dev/null || echo "docker-test-$RUN_ID")"
t0=$SECONDS
if DOCKER_BUILDKIT=0 docker build --network host --target build -t "$BUILD_IMAGE" . >"$WORK/build.log" 2>&1 &&
  DOCKER_BUILDKIT=0 docker build --network host --build-arg GIT_DESCRIBE="$GIT_DESCRIBE" -t "$IMAGE" . \
    >>"$WORK/build.log" 2>&1; then
  pass "docker build --network host . (the real Dockerfile, $((SECONDS - t0)) s)"
else
  tail -n 40 "$WORK/build.log"
  abort "docker build --network host . (the real Dockerfile)"
fi

base_size="$(docker image inspect -f '{{.Size}}' "$BASE_IMAGE")"
image_size="$(docker image inspect -f '{{.Size}}' "$IMAGE")"
added=$((image_size - base_size))
log "base $base_size bytes, image $image_size bytes: the image adds $added bytes"
check "the image adds $((added / 1000000)) MB to its base (< $((MAX_ADDED_BYTES / 1000000)) MB)" \
  test "$added" -lt "$MAX_ADDED_BYTES"
image_node="$(docker run --rm --network host --entrypoint node "$IMAGE" --version)"
# The image's Node is of its base's major, and package.json's engines.node admits it.
image_node_ok() {
  [[ "$image_node" == "v$BASE_NODE_MAJOR".* ]] &&
    node -e 'const { refusal } = require("./scripts/check-node.cjs");
      process.exit(refusal(process.argv[1], require("./package.json").engines.node) ? 1 : 0)' "$image_node"
}
check "the image runs Node $image_node: the base's major ($BASE_NODE_MAJOR), and a supported one" image_node_ok
check "the image keeps no dev dependencies (no typescript, tsx, vitest in node_modules)" \
  docker run --rm --network host --entrypoint sh "$IMAGE" -c \
  '! [ -e node_modules/typescript ] && ! [ -e node_modules/tsx ] && ! [ -e node_modules/vitest ]'

# ---------------------------------------------------------------------------- run on PostgreSQL + Redis
psql_admin -c "CREATE DATABASE $DB_NAME" >/dev/null || abort "create database $DB_NAME"
DB_CREATED=1
DB_URL="${PG_ADMIN_URL%/*}/$DB_NAME"
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
APP="promotions-test-app-$RUN_ID"
CONTAINERS+=("$APP")
# HOST=127.0.0.1: on the host network the server must not listen on other interfaces.
docker run -d --name "$APP" --network host \
  -e DATABASE_URL="$DB_URL" -e REDIS_URL="$REDIS_URL_HOST" -e REDIS_KEY_PREFIX="$REDIS_PREFIX" \
  -e ADMIN_TOKEN="$ADMIN_TOKEN" -e HOST=127.0.0.1 -e PORT="$PORT" "$IMAGE" >/dev/null ||
  abort "docker run --network host $IMAGE"

if wait_status "$BASE/readyz" 200 60; then
  pass "GET /readyz answers 200 (migrations found and applied on PostgreSQL)"
else
  docker logs "$APP" 2>&1 | tail -n 20
  abort "GET /readyz answers 200 within 60 s"
fi
check "GET /openapi.yaml serves openapi/promotions.yaml" \
  cmp -s <(curl -s "$BASE/openapi.yaml") openapi/promotions.yaml
check "GET /metrics reports redis_up 1 (REDIS_URL reached)" \
  grep -qx 'redis_up 1' <(curl -s "$BASE/metrics")
expected_health="$(node -e 'process.stdout.write(JSON.stringify({ status: "ok", version: require("./package.json").version, build: process.argv[1] }))' "$GIT_DESCRIBE")"
check "GET /healthz names the release: package.json's version and the baked-in git describe ($GIT_DESCRIBE)" \
  test "$(curl -s "$BASE/healthz")" = "$expected_health"

# The admin CLI, compiled into the image (README: docker compose exec app node dist/clients/cli/admin.js …).
contains() { [[ "$1" == *"$2"* ]]; }
cli_in_image() { docker exec -e ADMIN_TOKEN="$ADMIN_TOKEN" "$APP" node dist/clients/cli/admin.js --url "$BASE" "$@" 2>&1; }
check "the admin CLI runs in the image: --help lists its commands" \
  contains "$(cli_in_image --help)" "operators create"
cli_email="cli-$RUN_ID@example.com"
check "the admin CLI in the image creates the first operator with ADMIN_TOKEN (no curl needed)" \
  contains "$(cli_in_image operators create --email "$cli_email" --password "docker test password" --role owner)" "$cli_email"
check "the admin CLI in the image lists the operator it made" \
  contains "$(cli_in_image operators list)" "$cli_email"

if BASE="$BASE" ADMIN_TOKEN="$ADMIN_TOKEN" bash examples/curl.sh >"$WORK/curl.out" 2>&1 &&
  [ "$(tail -n 1 "$WORK/curl.out")" = "All 10 steps answered as expected." ]; then
  pass "examples/curl.sh against the container: all 10 steps"
else
  sed 's/^/     /' "$WORK/curl.out"
  fail "examples/curl.sh against the container"
fi

uid="$(docker exec "$APP" id -u)"
check "docker exec id -u is not root ($uid)" test "$uid" = 1000
pid1="$(docker exec "$APP" sh -c 'grep ^Uid /proc/1/status | cut -f2; tr "\0" " " </proc/1/cmdline')"
check "PID 1 is node --max-semi-space-size=16 --heap-growing-percent=50 --no-maglev dist/src/server.js as uid 1000, so SIGTERM reaches it" \
  test "$pid1" = "$(printf '1000\nnode --max-semi-space-size=16 --heap-growing-percent=50 --no-maglev dist/src/server.js ')"
check "the image's HEALTHCHECK reports healthy" bash -c '
  for _ in $(seq 1 40); do
    [ "$(/usr/bin/docker inspect -f "{{.State.Health.Status}}" "$0")" = healthy ] && exit 0
    sleep 1
  done
  exit 1' "$APP"
# docker-compose.yml's readiness check, run in the image (node's fetch on /readyz), on our port.
compose_probe="$(node -e '
  const yaml = require("yaml");
  const app = yaml.parse(require("fs").readFileSync("docker-compose.yml", "utf8")).services.app;
  process.stdout.write(app.healthcheck.test.at(-1).replace(":3000/", `:${process.argv[1]}/`));' "$PORT")"
check "docker-compose.yml's app healthcheck command succeeds in the image" \
  docker exec "$APP" node -e "$compose_probe"

t0="$(date +%s%N)"
docker stop -t "$STOP_GRACE" "$APP" >/dev/null
stop_rc=$?
stop_ms=$((($(date +%s%N) - t0) / 1000000))
exit_code="$(docker inspect -f '{{.State.ExitCode}}' "$APP")"
check "docker stop exits 0 (rc $stop_rc) in ${stop_ms} ms, within the ${STOP_GRACE} s grace period" \
  test "$stop_rc" -eq 0 -a "$stop_ms" -lt $((STOP_GRACE * 1000))
check "the container exited 0 after a graceful shutdown" \
  bash -c '[ "$1" = 0 ] && /usr/bin/docker logs "$2" 2>&1 | grep -q "\"msg\":\"shut down\""' _ "$exit_code" "$APP"

# ---------------------------------------------------------------------------- embedded store
# Without DATABASE_URL: PGlite in DATA_DIR=/app/data, which uid 1000 must be able to write.
PORT2="$(free_port)"
EMBEDDED="promotions-test-embedded-$RUN_ID"
CONTAINERS+=("$EMBEDDED")
docker run -d --name "$EMBEDDED" --network host -e HOST=127.0.0.1 -e PORT="$PORT2" "$IMAGE" >/dev/null
check "without DATABASE_URL: the embedded store in /app/data is ready (/readyz 200)" \
  wait_status "http://127.0.0.1:$PORT2/readyz" 200 90
embedded_token="$(docker exec "$EMBEDDED" cat /app/data/admin-token 2>/dev/null)"
check "without DATABASE_URL: demo seeded, admin token kept in /app/data/admin-token" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $embedded_token" \
    "http://127.0.0.1:$PORT2/admin/v1/promotions/demo_promotion")" = 200
check "without DATABASE_URL: the admin CLI in the image finds the token in /app/data/admin-token" \
  contains "$(docker exec "$EMBEDDED" node dist/clients/cli/admin.js --url "http://127.0.0.1:$PORT2" \
    promotions get demo_promotion 2>&1)" "demo_promotion"
docker stop -t "$STOP_GRACE" "$EMBEDDED" >/dev/null
check "without DATABASE_URL: docker stop, exit code 0" \
  test "$(docker inspect -f '{{.State.ExitCode}}' "$EMBEDDED")" = 0

# ---------------------------------------------------------------------------- docker-compose.yml
if ADMIN_TOKEN=x docker-compose -f docker-compose.yml config >"$WORK/compose.yml" 2>"$WORK/compose.err"; then
  pass "docker-compose config parses docker-compose.yml ($(docker-compose version --short))"
  while IFS='|' read -r verdict description; do
    if [ "$verdict" = ok ]; then pass "compose: $description"; else fail "compose: $description"; fi
  done < <(node scripts/check-compose.mjs "$WORK/compose.yml")
else
  cat "$WORK/compose.err"
  fail "docker-compose config parses docker-compose.yml"
fi
check "compose: without ADMIN_TOKEN it still parses (the admin API is then disabled)" \
  bash -c 'env -u ADMIN_TOKEN docker-compose -f docker-compose.yml config -q 2>/dev/null'

summary
