#!/usr/bin/env bash
# The API against its own OpenAPI schema: schemathesis, every check, a fixed seed and a fixed number of
# examples per operation, against a throw-away SQLite copy of the demo county served by gunicorn on the
# loopback. Fails on any server error or schema violation and prints how many requests were made.
#   scripts/api_contract.sh               # as CI runs it
#   EXAMPLES=50 SEED=7 scripts/api_contract.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-.venv/bin}
PORT=${API_CONTRACT_PORT:-8765}
SEED=${SEED:-20260701}
EXAMPLES=${EXAMPLES:-5}      # per operation and phase: with the seed, the same requests every run
MAX_TIME=${MAX_TIME:-100}      # seconds: schemathesis's own budget (its phases fit in it; fuzzing uses the rest)
TIME_LIMIT=${TIME_LIMIT:-170}  # seconds: a hard stop should schemathesis overrun its budget; reaching it fails

work=$(mktemp -d "${TMPDIR:-/tmp}/huajie-api-contract.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Nothing here touches the developer's var/ or database: everything lives in $work.
export DJANGO_SETTINGS_MODULE=config.settings.local
export DEBUG=false
export DATABASE_URL="sqlite:///$work/api.sqlite3"
export REDIS_URL=""
export MEDIA_ROOT="$work/media"
export CELERY_TASK_ALWAYS_EAGER=true  # documents render in the request: no broker, no worker
export ALLOWED_HOSTS=127.0.0.1,localhost
export API_THROTTLE_USER=1000000/minute API_THROTTLE_ANON=1000000/minute API_THROTTLE_SIGN_IN=1000000/minute
export API_TOKEN_HOURS=24

root=$(pwd)
"$BIN/python" manage.py migrate --noinput -v 0
"$BIN/python" manage.py demo_seed >"$work/seed.log" 2>&1 || { cat "$work/seed.log"; exit 1; }
# A county centre clerk reaches every demo case and may register and act on them. Signing out and
# revoking tokens are left out of the run below: they would end this very token.
token=$("$BIN/python" manage.py shell -v 0 -c "
from core.models import User
from security.tokens import token_issue
print(token_issue(user=User.objects.get(username='clerk'))[1])")

# --limit-request-line 0: a long query string reaches Django (400 by parameter) instead of gunicorn's
# own HTML 414; what a front-end proxy allows is the deployment's business, not the API's contract.
"$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 --limit-request-line 0 \
  --access-logfile "$work/access.log" --access-logformat '%(s)s %(m)s %(U)s' --error-logfile "$work/error.log" >"$work/server.log" 2>&1 &
server_pid=$!
up() { "$BIN/python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" 2>/dev/null; }
for _ in $(seq 60); do up "http://127.0.0.1:$PORT/healthz" && break; sleep 0.5; done
if ! up "http://127.0.0.1:$PORT/healthz"; then
  echo "api contract: the server did not start"; cat "$work/server.log" "$work/error.log"; exit 1
fi

# The schema is for signed-in users only: fetched with the clerk's token, then read from the file.
"$BIN/python" -c "
import sys, urllib.request
request = urllib.request.Request(sys.argv[1], headers={'Authorization': 'Token ' + sys.argv[2], 'Accept': 'application/json'})
with urllib.request.urlopen(request, timeout=60) as response, open(sys.argv[3], 'wb') as out:
    out.write(response.read())" "http://127.0.0.1:$PORT/api/schema/" "$token" "$work/schema.json" \
  || { echo "api contract: the schema could not be fetched with the clerk's token"; exit 1; }

status=0
# One worker: with two threads, hypothesis describing its filters parses source with `ast` concurrently,
# which CPython 3.11 can fail ("AST constructor recursion depth mismatch"): a crash of the tool, not a
# finding about the API.
# From $work: schemathesis keeps a cache of failures (for `st replay`) in the current directory.
(cd "$work" && timeout "$TIME_LIMIT" "$root/$BIN/schemathesis" --config-file "$root/scripts/schemathesis.toml" run "$work/schema.json" \
  --url "http://127.0.0.1:$PORT" \
  --header "Authorization: Token $token" \
  --exclude-path /api/auth/logout/ \
  --exclude-path-regex '^/api/auth/tokens/' \
  --checks all \
  --seed "$SEED" \
  --max-examples "$EXAMPLES" \
  --max-time "$MAX_TIME" \
  --generation-database none \
  --workers 1 \
  --no-color) || status=$?
[ "$status" -eq 124 ] && echo "api contract: schemathesis did not finish within ${TIME_LIMIT}s"

requests=$(wc -l <"$work/access.log")
# schemathesis first probes the server with a NUL byte in a header (/schemathesis-probe); gunicorn refuses
# that request itself, before Django, and logs it as 500: it is not an API operation.
server_errors=$(awk '$1 ~ /^5/ && $3 !~ /^\/schemathesis-probe/' "$work/access.log" | wc -l)
echo "api contract: $requests requests, $server_errors server errors"
if [ "$server_errors" -gt 0 ] || grep -q "Traceback" "$work/error.log"; then
  awk '$1 ~ /^5/ && $3 !~ /^\/schemathesis-probe/' "$work/access.log" | head -n 20
  tail -n 60 "$work/error.log"
  status=1
fi
exit "$status"
