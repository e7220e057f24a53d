#!/usr/bin/env bash
# scripts/pgbouncer.sh start|stop [port] — a private PgBouncer in TRANSACTION pooling mode in
# front of the machine's PostgreSQL (127.0.0.1:5432), for the CI leg and the bench that prove
# the server behind a transaction pooler (DATABASE_PREPARED_STATEMENTS=false). Debian's
# pgbouncer 1.18 keeps no prepared statements across transactions. Any database name is
# passed through (`* =`), trust auth as the machine's PostgreSQL. Runs as the postgres user
# (PgBouncer refuses root); its files live in ${PGBOUNCER_DIR:-/tmp/promotions-pgbouncer}.
set -euo pipefail
cmd="${1:?usage: scripts/pgbouncer.sh start|stop [port]}"
port="${2:-6544}"
dir="${PGBOUNCER_DIR:-/tmp/promotions-pgbouncer}"
case "$cmd" in
  start)
    command -v pgbouncer >/dev/null || { echo "pgbouncer not found (apt-get install pgbouncer)" >&2; exit 1; }
    mkdir -p "$dir"
    cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
; The test suite opens a database per file and the bench 50 connections: room for both.
max_client_conn = 2000
default_pool_size = 40
max_db_connections = 80
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    echo '"postgres" ""' >"$dir/userlist.txt"
    chown -R postgres "$dir"
    if [ -f "$dir/pgbouncer.pid" ] && kill -0 "$(cat "$dir/pgbouncer.pid")" 2>/dev/null; then
      echo "pgbouncer already runs (pid $(cat "$dir/pgbouncer.pid"))"
    else
      su postgres -s /bin/sh -c "pgbouncer -d '$dir/pgbouncer.ini'"
    fi
    for _ in $(seq 1 50); do
      pg_isready -h 127.0.0.1 -p "$port" -q && break
      sleep 0.1
    done
    pg_isready -h 127.0.0.1 -p "$port"
    ;;
  stop)
    if [ -f "$dir/pgbouncer.pid" ]; then kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true; fi
    ;;
  *) echo "usage: scripts/pgbouncer.sh start|stop [port]" >&2; exit 2 ;;
esac
