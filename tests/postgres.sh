#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, on loopback only.
#   tests/postgres.sh start   install PostgreSQL from Debian packages if initdb is missing, create the cluster under
#                             $IH_PG_DIR (default /tmp/ih-pg), start it on 127.0.0.1:$IH_PG_PORT (default 55432), wait
#                             until it accepts connections. Idempotent: a running cluster is left as it is.
#   tests/postgres.sh stop    stop the cluster and delete its data directory.
#   tests/postgres.sh env     print INTEGRATIONHEALTH_TEST_PG=... (the admin connection string the tests read).
# Trust authentication, fsync off: for tests only, never for data you want to keep.
set -euo pipefail

port=${IH_PG_PORT:-55432}
base=${IH_PG_DIR:-/tmp/ih-pg}
data="$base/data"
logfile="$base/postgres.log"
sockets="$base/run"

log() { printf 'postgres.sh: %s\n' "$*" >&2; }

# The newest /usr/lib/postgresql/<version>/bin that has initdb, or nothing.
find_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

ensure_installed() {
    if find_bindir >/dev/null; then
        return 0
    fi
    log "PostgreSQL binaries not found; installing the Debian 'postgresql' package"
    if [ "$(id -u)" -ne 0 ]; then
        log "installing needs root (apt-get); run as root or install PostgreSQL first"
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # policy-rc.d keeps the package from starting (and leaving running) its own default cluster.
    local policy=/usr/sbin/policy-rc.d created_policy=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
    fi
    apt-get install -y -qq postgresql >/dev/null
    if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi
    find_bindir >/dev/null || { log "installed 'postgresql' but found no initdb under /usr/lib/postgresql/*/bin"; exit 1; }
}

# PostgreSQL refuses to run as root: run its tools as the postgres user when we are root.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

is_running() {
    local bindir=$1
    [ -f "$data/PG_VERSION" ] && as_pg "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

start() {
    ensure_installed
    local bindir
    bindir=$(find_bindir)
    if is_running "$bindir"; then
        log "already running on 127.0.0.1:$port ($data)"
        return 0
    fi
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    mkdir -p "$base" "$sockets"
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$base"; fi
    if [ ! -f "$data/PG_VERSION" ]; then
        rm -rf "$data"
        log "initialising a cluster in $data ($($bindir/postgres --version))"
        as_pg "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null 2>&1 \
            || as_pg "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --no-locale >/dev/null
    fi
    log "starting on 127.0.0.1:$port"
    as_pg "$bindir/pg_ctl" -D "$data" -l "$logfile" -w -t 60 start -o \
        "-c listen_addresses=127.0.0.1 -p $port -k $sockets -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB" \
        >/dev/null || { log "failed to start; last log lines:"; tail -n 20 "$logfile" >&2 || true; exit 1; }
    local i
    for i in $(seq 1 60); do
        if "$bindir/pg_isready" -h 127.0.0.1 -p "$port" -q; then
            log "ready"
            return 0
        fi
        sleep 0.5
    done
    log "did not become ready within 30 s; last log lines:"
    tail -n 20 "$logfile" >&2 || true
    exit 1
}

stop() {
    local bindir
    if bindir=$(find_bindir) && is_running "$bindir"; then
        log "stopping"
        as_pg "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$base"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    # Quoted: the value holds ';', and callers eval this line (`eval "export $(tests/postgres.sh env)"`).
    env) echo "INTEGRATIONHEALTH_TEST_PG='Host=127.0.0.1;Port=$port;Username=postgres'" ;;
    *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
