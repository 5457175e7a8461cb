#!/usr/bin/env bash
# Installs everything the whole test suite needs on a fresh Debian machine: the Debian packages
# its integration tests start and the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: the chat-page test drives Debian's Chromium with playwright-core.
# iptables, iproute2: test/reliability/faults blackholes a peer inside a network namespace.
# redis-server, nginx: the cluster tests run two nodes on Redis behind the repo's nginx.conf.
# redis-sentinel (its own package): test/cluster/sentinel-failover kills a primary under three sentinels.
# docker-compose: validates docker-compose.yml (no Docker engine runs on these machines).
# prometheus (Debian 12: 2.42, with promtool): test/ops checks and unit-tests deploy/prometheus's
#   rules with promtool and starts its own Prometheus on a free loopback port (not the service).
DEBIAN_PACKAGES=(chromium iptables iproute2 redis-server redis-sentinel nginx docker-compose prometheus)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo "sudo")
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

npm ci --no-audit --no-fund
