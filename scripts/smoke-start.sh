#!/usr/bin/env bash
# Boots `npm start` on the embedded defaults (PGlite in a temporary DATA_DIR, local Redis,
# console providers) exactly as a new user would, and checks health, readiness and the docs.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
log="$data/start.log"
DATA_DIR="$data" PORT="$port" QUEUE_PREFIX="smoke-$port" setsid npm start >"$log" 2>&1 &
pid=$!
# setsid gives npm and node their own process group, so one kill stops both.
cleanup() { kill -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; redis-cli --scan --pattern "smoke-$port:*" | xargs -r redis-cli del >/dev/null; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "smoke: npm start exited"; exit 1; }
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$log"; echo "smoke: not ready"; exit 1; }
curl -fsS "http://127.0.0.1:$port/docs/json" | grep -q '"openapi"' || { echo "smoke: no OpenAPI document"; exit 1; }
grep -q "Generated admin API key" "$log" || { cat "$log"; echo "smoke: no admin key printed"; exit 1; }
key=$(grep -A1 "Generated admin API key" "$log" | tail -n 1 | tr -d ' ')
curl -fsS -H "authorization: Bearer $key" "http://127.0.0.1:$port/v1/api-keys" >/dev/null || { echo "smoke: admin key rejected"; exit 1; }
echo "smoke: npm start serves /healthz, /readyz, /docs and accepts the generated admin key"
