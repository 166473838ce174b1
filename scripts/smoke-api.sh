#!/usr/bin/env bash
# Smoke test of a deployed API (through its nginx): create, read twice (the second from the cache),
# list, delete. Usage: scripts/smoke-api.sh [base URL, default http://localhost:30080]
set -euo pipefail
API="${1:-http://localhost:30080}"
email="smoke-$(date +%s)-$RANDOM@example.com"
fail() { echo "smoke: $*" >&2; exit 1; }

curl -fsS "$API/health/ready" >/dev/null || fail "$API/health/ready is not ready"
created=$(curl -fsS -X POST "$API/api/v1/profiles" -H 'content-type: application/json' \
  -d "{\"name\":\"Smoke Test\",\"email\":\"$email\"}") || fail "create failed"
id=$(node -e 'process.stdout.write(JSON.parse(process.argv[1]).id)' "$created")
curl -fsS "$API/api/v1/profiles/$id" >/dev/null || fail "read failed"
cache=$(curl -fsS -o /dev/null -D - "$API/api/v1/profiles/$id" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-cache"{print $2}')
curl -fsS "$API/api/v1/profiles?limit=5" >/dev/null || fail "list failed"
status=$(curl -sS -o /dev/null -w '%{http_code}' -X DELETE "$API/api/v1/profiles/$id")
[ "$status" = 204 ] || fail "delete answered $status"
echo "smoke: ok (profile $id created, read with X-Cache: ${cache:-?}, listed, deleted) at $API"
