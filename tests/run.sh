#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs what the tests need (PostgreSQL, node + the reference
# jsonata and the OpenAPI validators), starts a throwaway PostgreSQL cluster on loopback, runs every test project, stops the cluster, and prints
# one closing line "tests: N passed, M failed, K skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '\n==> %s\n' "$*" >&2; }

apt_updated=0
need_apt() {
    # need_apt <command> <debian package>...
    local cmd=$1; shift
    command -v "$cmd" >/dev/null 2>&1 && return 0
    log "installing $* (for $cmd)"
    if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

need_python_module() {
    # need_python_module <module> <debian package>...: Debian's python3 (/usr/bin/python3, not whatever python is first
    # on PATH) must import <module>.
    local module=$1; shift
    /usr/bin/python3 -c "import $module" >/dev/null 2>&1 && return 0
    log "installing $* (for python3's $module)"
    if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v dotnet >/dev/null 2>&1 || { echo "dotnet (SDK 10) is required on PATH" >&2; exit 1; }
need_apt node nodejs
need_apt npm npm
need_apt fc-list fontconfig fonts-dejavu-core
# Debian's Chromium for the status page's browser tests (Playwright drives it; no browser download).
need_apt chromium chromium
# wrk and nginx for the proxy benchmark's smoke test (tests/IntegrationHealth.Benchmarks.Tests); the package's own
# nginx service is stopped and disabled: the benchmark starts nginx with its own configuration.
need_apt wrk wrk
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    need_apt nginx nginx-light
    service nginx stop >/dev/null 2>&1 || true
    systemctl disable --now nginx >/dev/null 2>&1 || true
fi
# Debian's feedparser reads the status page's Atom and RSS feeds in the feed tests.
need_apt python3 python3
need_python_module feedparser python3-feedparser
# Debian's python3-aiosmtpd: the real SMTP server of the status page's subscription tests (tests/smtp/sink.py).
need_python_module aiosmtpd python3-aiosmtpd

# npm packages of the independent peers the tests compare against: the reference JSONata (differential tests,
# benchmarks), the OpenAPI validators (tests/openapi/check.mjs) and the Standard Webhooks library (tests/webhooks/verify.mjs).
for folder in tests/reference tests/openapi tests/webhooks; do
    [ -f "$folder/package.json" ] || continue
    log "installing the npm packages of $folder"
    if [ -f "$folder/package-lock.json" ]; then
        npm ci --prefix "$folder" --no-audit --no-fund --loglevel=error
    else
        npm install --prefix "$folder" --no-audit --no-fund --loglevel=error
    fi
done

log "starting a throwaway PostgreSQL on loopback"
bash tests/postgres.sh start
trap 'bash "$root/tests/postgres.sh" stop || true' EXIT
eval "export $(bash tests/postgres.sh env)"

log "building"
dotnet build IntegrationHealth.sln -c Release -nologo -v quiet -clp:ErrorsOnly

# Proves on this machine that the dotnet-ef local tool restores and runs on each migrations project (the commands the
# DbContext remarks give for adding a migration), and fails the run (exit 1) when the model has changes without a
# migration. On the Release build just made (--no-build), so it only loads assemblies: 10-15 s here.
log "dotnet-ef: no model changes without a migration (SQLite, PostgreSQL)"
dotnet tool restore >/dev/null
for project in migrations/IntegrationHealth.Migrations.Sqlite migrations/IntegrationHealth.Migrations.Postgres; do
    dotnet ef migrations has-pending-model-changes --project "$project" --configuration Release --no-build
done

log "running every test project"
out=$(mktemp)
set +e
dotnet test IntegrationHealth.sln -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee "$out" \
    | grep -E --line-buffered '^\s*(Failed|Skipped) |^\s*(Passed|Failed|Skipped): [0-9]+$|^Total tests|^Test Run|error [A-Z]+[0-9]+:'
status=${PIPESTATUS[0]}
set -e

# Sum the per-project summaries VSTest prints after "Total tests: N": "     Passed: N", "     Failed: N", "    Skipped: N".
sum() { { grep -E "^\s+$1: [0-9]+\s*$" "$out" || true; } | awk '{s+=$2} END {print s+0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
if grep -qE '^\s*Failed ' "$out"; then
    echo; echo "==> failures"; grep -A 20 -E '^\s*Failed ' "$out" | head -400
fi
rm -f "$out"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$failed" -gt 0 ] && [ "$status" -eq 0 ]; then status=1; fi
echo
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
