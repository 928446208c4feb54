#!/usr/bin/env bash
# The proxy benchmark with its peers: installs Debian's nginx and wrk when missing, then runs the suite.
# Usage: bash tests/IntegrationHealth.Benchmarks/proxy-bench.sh [--duration 10] [--records 10000] [--pages 100] [--iterations 5]
set -euo pipefail
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # The package's own service is not needed: the suite starts nginx with its own configuration.
  $sudo systemctl disable --now nginx >/dev/null 2>&1 || true
fi
cd "$(dirname "$0")/../.."
exec dotnet run -c Release --project tests/IntegrationHealth.Benchmarks -- proxy "$@"
