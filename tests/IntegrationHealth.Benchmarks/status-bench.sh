#!/usr/bin/env bash
# The status page benchmark, with its peer: our service serving a seeded page's summary.json, HTML page and a badge
# from its render-once cache, against Debian's nginx serving byte-identical static copies of the same three
# documents, both on 127.0.0.1, measured with wrk in one run. Prints requests/s side by side and ours / nginx's
# (target: at least 50% on each).
#
# Usage: bash tests/IntegrationHealth.Benchmarks/status-bench.sh [--duration 10] [--connections 64] [--threads 2]
#                                                               [--api-port 5191] [--nginx-port 5192]
# Installs nginx and wrk when missing. The service runs from a Release build over its own SQLite file in a temp
# directory (web role only: the job server's schedules do not compete for the cores); nginx runs with its own
# configuration in the same temp directory (the machine's nginx configuration is not read or changed). Everything it
# starts is stopped on exit.
set -euo pipefail

duration=10 connections=64 threads=2 api_port=5191 nginx_port=5192
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --api-port) api_port=$2; shift 2 ;;
    --nginx-port) nginx_port=$2; shift 2 ;;
    *) echo "unknown argument: $1 (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done

log() { printf '==> %s\n' "$*" >&2; }

missing=()
command -v wrk >/dev/null || missing+=(wrk)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The package's own service is not needed: nginx is started below with its own configuration.
  $sudo systemctl disable --now nginx >/dev/null 2>&1 || true
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/status-bench.XXXXXX)
chmod 755 "$work" # nginx's workers (www-data when started as root) read the static copies
api_pid="" nginx_pid=""
cleanup() {
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

log "building the service (Release)"
dotnet build src/IntegrationHealth.Api -c Release -nologo -v quiet -clp:ErrorsOnly >&2
app=$(ls src/IntegrationHealth.Api/bin/Release/net*/IntegrationHealth.Api.dll | head -1)
db=(--Database:Provider sqlite --Database:ConnectionString "Data Source=$work/bench.db")

log "seeding a status page (SQLite in $work)"
key=$(dotnet "$app" keys create --tenant bench --scope admin,read "${db[@]}")
base="http://127.0.0.1:$api_port"
dotnet "$app" serve --urls "$base" --Roles Web --Logging:LogLevel:Default=Warning "${db[@]}" >"$work/api.log" 2>&1 &
api_pid=$!
for _ in $(seq 1 120); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$api_pid" 2>/dev/null || { cat "$work/api.log" >&2; exit 1; }
  sleep 0.5
done

api() { # api METHOD PATH JSON → prints the response body; fails on a non-2xx answer
  curl -fsS -X "$1" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' "$base$2" -d "$3"
}
id_of() { sed -E 's/^\{"id":([0-9]+).*/\1/'; }
api PUT /v1/status-page '{"slug":"bench","name":"Bench Integrations"}' >/dev/null
crm=$(api POST /v1/status-page/groups '{"name":"CRM","position":1}' | id_of)
hris=$(api POST /v1/status-page/groups '{"name":"HRIS","position":2}' | id_of)
first=""
for spec in "Salesforce sync:salesforce:$crm" "Salesforce webhooks:salesforce:$crm" "HubSpot sync:hubspot:$crm" \
            "BambooHR sync:bamboohr:$hris" "Workday sync:workday:$hris" "Zendesk tickets:zendesk:"; do
  IFS=: read -r name provider group <<<"$spec"
  body="{\"name\":\"$name\",\"provider\":\"$provider\",\"description\":\"$name of every connected account\""
  [ -n "$group" ] && body="$body,\"groupId\":$group"
  id=$(api POST /v1/status-page/components "$body}" | id_of)
  first=${first:-$id}
done
incident=$(api POST /v1/status-page/incidents "{\"name\":\"Salesforce sync delayed\",\"status\":\"investigating\",\"impact\":\"minor\",\"body\":\"Salesforce answers slowly; syncs run late.\",\"components\":[{\"id\":$first,\"status\":\"degraded_performance\"}]}" | id_of)
api POST "/v1/status-page/incidents/$incident/updates" '{"status":"identified","body":"A Salesforce instance is slow; we retry with backoff."}' >/dev/null
api POST /v1/status-page/maintenances "{\"name\":\"Database upgrade\",\"scheduledFor\":\"2099-01-01T02:00:00Z\",\"scheduledUntil\":\"2099-01-01T03:00:00Z\",\"body\":\"Syncs pause for an hour.\",\"componentIds\":[$first]}" >/dev/null

paths=("/pages/bench/api/v2/summary.json" "/pages/bench" "/pages/bench/components/$first/badge.svg")
names=("summary.json" "HTML page" "badge.svg")

log "writing static copies and starting nginx on 127.0.0.1:$nginx_port"
mkdir -p "$work/static" "$work/nginx"
for p in "${paths[@]}"; do
  file="$work/static$p"; [ "$p" = "/pages/bench" ] && file="$work/static/pages/bench/index.html"
  mkdir -p "$(dirname "$file")"
  curl -fsS "$base$p" -o "$file"
done
chmod -R a+rX "$work/static"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  types { application/json json; text/html html; image/svg+xml svg; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/static;
    location = /pages/bench { default_type text/html; try_files /pages/bench/index.html =404; }
  }
}
EOF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_pid=$!
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$nginx_port${paths[0]}" >/dev/null 2>&1 && break; sleep 0.1; done

for p in "${paths[@]}"; do
  cmp -s <(curl -fsS "$base$p") <(curl -fsS "http://127.0.0.1:$nginx_port$p") \
    || { echo "the static copy of $p differs from what the service serves" >&2; exit 1; }
done
log "the three documents are byte-identical on both servers ($(for p in "${paths[@]}"; do curl -fsS "$base$p" | wc -c; done | paste -sd/ -) bytes)"

rps() { # rps URL → requests/s as wrk reports it
  wrk -t"$threads" -c"$connections" -d"${duration}s" "$1" | awk '/^Requests\/sec:/ {print $2}'
}
# Warm-up, not measured: the service's JIT tiers up its hot path on first use (and nginx's page cache fills), which
# would otherwise land inside whichever document is measured first.
log "warming up both servers (3 s per document each, not measured)"
for p in "${paths[@]}"; do
  wrk -t"$threads" -c"$connections" -d3s "$base$p" >/dev/null
  wrk -t"$threads" -c"$connections" -d3s "http://127.0.0.1:$nginx_port$p" >/dev/null
done
printf '\nwrk -t%s -c%s -d%ss on 127.0.0.1, %s\n' "$threads" "$connections" "$duration" "$(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-14s %14s %14s %8s\n' document "ours req/s" "nginx req/s" ratio
for i in "${!paths[@]}"; do
  ours=$(rps "$base${paths[$i]}")
  theirs=$(rps "http://127.0.0.1:$nginx_port${paths[$i]}")
  ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "n/a" }')
  printf '%-14s %14s %14s %8s\n' "${names[$i]}" "$ours" "$theirs" "$ratio"
done
