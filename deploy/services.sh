#!/usr/bin/env bash
# Development and CI services of a team install, on 127.0.0.1 with fixed high ports and data in .services/:
# PostgreSQL (the Dagster instance), Redis (the Celery broker), moto_server (an S3-compatible endpoint).
#   deploy/services.sh start | stop | env
# `env` prints the variables deploy/dagster.yaml and the distributed tests read.
# Debian's postgresql refuses to run as root: initdb and pg_ctl run as the postgres user.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD/.services"
PG_PORT="${REPORT_FACTS_PG_PORT:-55432}"
REDIS_PORT="${REPORT_FACTS_REDIS_PORT:-56379}"
S3_PORT="${REPORT_FACTS_S3_PORT:-59000}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
MOTO="${MOTO_SERVER:-$PWD/.venv/bin/moto_server}"

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

install_packages() {
    local missing=()
    [ -n "$PG_BIN" ] || missing+=(postgresql)
    command -v redis-server >/dev/null || missing+=(redis-server)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing ${missing[*]}" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
        PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    fi
    [ -x "$MOTO" ] || { echo "no $MOTO: install the distributed extra (make install-distributed)" >&2; exit 1; }
}

start_postgres() {
    local dir="$ROOT/postgres"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        mkdir -p "$dir"
        [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
        as_postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
    fi
    if ! as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir" start >/dev/null
    fi
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='dagster'" \
        | grep -q 1 || "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres dagster
}

start_redis() {
    local dir="$ROOT/redis"
    mkdir -p "$dir"
    if [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; then return; fi
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --dir "$dir" --pidfile "$dir/redis.pid" \
        --logfile "$dir/redis.log" --save "" --appendonly no
}

start_s3() {
    local dir="$ROOT/s3"
    mkdir -p "$dir"
    if [ -f "$dir/moto.pid" ] && kill -0 "$(cat "$dir/moto.pid")" 2>/dev/null; then return; fi
    nohup "$MOTO" -H 127.0.0.1 -p "$S3_PORT" >"$dir/moto.log" 2>&1 &
    echo $! >"$dir/moto.pid"
    for _ in $(seq 1 100); do
        if (echo >"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null; then return; fi
        sleep 0.1
    done
    echo "moto_server did not start, see $dir/moto.log" >&2
    exit 1
}

stop_pid() {  # the pid file's process only, then the pid file
    local file="$1"
    [ -f "$file" ] || return 0
    local pid
    pid="$(cat "$file")"
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$file"
}

case "${1:-}" in
start)
    install_packages
    start_postgres
    start_redis
    start_s3
    echo "services up: postgres 127.0.0.1:$PG_PORT, redis 127.0.0.1:$REDIS_PORT, s3 http://127.0.0.1:$S3_PORT" >&2
    ;;
stop)
    if [ -n "$PG_BIN" ] && [ -f "$ROOT/postgres/data/postmaster.pid" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$ROOT/postgres/data" -m fast -w stop >/dev/null || true
    fi
    stop_pid "$ROOT/redis/redis.pid"
    stop_pid "$ROOT/s3/moto.pid"
    echo "services stopped" >&2
    ;;
env)
    cat <<ENV
export REPORT_FACTS_PG_URL=postgresql+psycopg2://postgres@127.0.0.1:$PG_PORT/dagster
export REPORT_FACTS_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export AWS_ENDPOINT_URL=http://127.0.0.1:$S3_PORT
export AWS_ACCESS_KEY_ID=testing
export AWS_SECRET_ACCESS_KEY=testing
export AWS_DEFAULT_REGION=us-east-1
ENV
    ;;
*)
    echo "usage: $0 start|stop|env" >&2
    exit 2
    ;;
esac
