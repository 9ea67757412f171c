#!/usr/bin/env bash
# Walks the zero-setup path exactly as a new user would: `npm start` with nothing configured but a
# temporary DATA_DIR and port (embedded PGlite, local Redis, console providers), then greets a contact
# whose birthday is today at the next scheduler tick, takes an import, sends a campaign, stays
# responsive throughout, and stops within the shutdown bound on SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
log="$data/start.log"
base="http://127.0.0.1:$port"
# QUIET_HOURS=off: the run must not depend on the hour CI happens to run at.
DATA_DIR="$data" PORT="$port" QUEUE_PREFIX="smoke-$port" SCHEDULER_TICK_MS=1000 QUIET_HOURS=off setsid npm start >"$log" 2>&1 &
pid=$!
# setsid gives npm and node their own process group, so one kill stops both.
cleanup() { kill -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; redis-cli --scan --pattern "smoke-$port:*" | xargs -r redis-cli del >/dev/null; rm -rf "$data"; }
trap cleanup EXIT
fail() { cat "$log"; echo "smoke: $1"; exit 1; }

for _ in $(seq 1 240); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || fail "npm start exited"
  sleep 1
done
curl -fsS "$base/readyz" >/dev/null || fail "not ready"
curl -fsS "$base/docs/json" | grep -q '"openapi"' || fail "no OpenAPI document"
curl -fsS "$base/console/" | grep -qi '<div id="root"' || fail "no console at /console/"
grep -q "console  $base/console/" "$log" || fail "the banner does not show the console's address"
grep -q "Generated admin API key" "$log" || fail "no admin key printed"
key=$(grep -A1 "Generated admin API key" "$log" | tail -n 1 | tr -d ' ')
auth=(-H "authorization: Bearer $key" -H "content-type: application/json")
api() { curl -sS --fail-with-body --max-time 5 "${auth[@]}" "$@"; }
json() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const v=JSON.parse(s);console.log(eval('v'+process.argv[1]))})" "$1"; }
# Every call below must come back within 5 s: a frozen process fails here, not by hanging CI.
healthy() { curl -fsS --max-time 1 "$base/healthz" >/dev/null || fail "/healthz did not answer within 1 s"; }

# A contact whose birthday is today in Shanghai, with the send time already past (00:00).
api -X PUT "$base/v1/automations/birthday" -d '{"enabled":true,"channels":["sms"],"templateKey":"birthday","sendAt":"00:00"}' >/dev/null
today=$(TZ=Asia/Shanghai date +%m-%d)
contact=$(api -X POST "$base/v1/contacts" -d "{\"name\":\"李雷\",\"phone\":\"13800138000\",\"timeZone\":\"Asia/Shanghai\",\"birthday\":\"--$today\"}" | json .id)
status=""
for _ in $(seq 1 60); do
  healthy
  status=$(api "$base/v1/messages?contactId=$contact" | json '.items[0]?.status')
  [ "$status" = "sent" ] && break
  sleep 1
done
[ "$status" = "sent" ] || fail "the birthday greeting is '$status', not sent"

printf 'name,phone\n韩梅梅,13800138011\n王芳,13800138012\n' >"$data/contacts.csv"
created=$(curl -fsS --max-time 10 -H "authorization: Bearer $key" -H 'content-type: text/csv' --data-binary "@$data/contacts.csv" "$base/v1/contacts/import" | json .created)
[ "$created" = "2" ] || fail "import created $created contacts, not 2"

now=$(date -u -d "+3 seconds" +%Y-%m-%dT%H:%M:%SZ) # a moment ahead: wave 1 refuses an instant already past
campaign=$(api -X POST "$base/v1/campaigns" -d "{\"name\":\"smoke\",\"kind\":\"promo\",\"sendAt\":\"$now\",\"filter\":{},\"templateKey\":\"promo\",\"channels\":[\"sms\"]}" | json .id)
api -X POST "$base/v1/campaigns/$campaign/schedule" -d "{}" >/dev/null
state=""
for _ in $(seq 1 60); do
  healthy
  state=$(api "$base/v1/campaigns/$campaign" | json .status)
  [ "$state" = "completed" ] && break
  sleep 1
done
[ "$state" = "completed" ] || fail "the campaign is '$state', not completed"

started=$(date +%s)
kill -TERM -- "-$pid"
wait "$pid" 2>/dev/null || true
took=$(( $(date +%s) - started ))
[ "$took" -le 15 ] || fail "SIGTERM took ${took} s"
echo "smoke: npm start on the embedded default greeted today's birthday, imported, sent a campaign, answered /healthz within 1 s throughout, and stopped in ${took} s"
