#!/usr/bin/env bash
# Checks every operation's real responses against the published OpenAPI document with
# schemathesis (response_schema_conformance: each body matches its documented schema;
# not_a_server_error: no 5xx), against a fresh server with --demo data, signed in as each kind of
# user in turn (a citizen, the chairman, a unit head, an inspector, a receptionist, then the
# admin, whose writes may lock others out). The sign-out is left out: it would end the run's token.
# Bounded: ST_MAX_EXAMPLES examples per operation and phase (default 25). Uses the debug binary
# target/debug/tiepdan (build it first: cargo build) and PyPI's schemathesis.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${TIEPDAN_BIN:-$root/target/debug/tiepdan}"
examples="${ST_MAX_EXAMPLES:-25}"
[ -x "$bin" ] || { echo "no server binary at $bin: run cargo build first" >&2; exit 1; }
python3 -c 'import schemathesis' 2>/dev/null || { echo "no schemathesis: pip install schemathesis" >&2; exit 1; }

data="$(mktemp -d "${TMPDIR:-/tmp}/tiepdan-openapi.XXXXXX")"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
admin_password="st-Admin-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
base="http://127.0.0.1:$port"

# SQLite in a fresh folder whatever DATABASE_URL says; a high rate limit, since the checks file
# and look up many petitions from one address.
env -u DATABASE_URL \
  TIEPDAN_BIND="127.0.0.1:$port" \
  TIEPDAN_DATA_DIR="$data" \
  TIEPDAN_ADMIN_PASSWORD="$admin_password" \
  TIEPDAN_JWT_SECRET="$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" \
  TIEPDAN_PUBLIC_FILINGS_PER_HOUR=100000 \
  TIEPDAN_PUBLIC_LOOKUPS_PER_MINUTE=100000 \
  TIEPDAN_REGISTRATIONS_PER_HOUR=100000 \
  TIEPDAN_PUBLIC_UPLOADS_PER_HOUR=100000 \
  RUST_LOG="${RUST_LOG:-warn}" \
  "$bin" --demo >"$data/server.log" 2>&1 &
server=$!
stop() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$data"
}
trap stop EXIT

for _ in $(seq 1 100); do
  if curl -fsS "$base/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$data/server.log" >&2; exit 1; fi
  sleep 0.2
done
curl -fsS "$base/health" >/dev/null || { echo "server did not start" >&2; cat "$data/server.log" >&2; exit 1; }

token() {
  curl -fsS -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$2\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

# Every role's token first: the fuzzed logins that follow lock this address (the login throttle,
# issue 18) and would refuse a later sign-in.
declare -A bearers
roles="congdan chutich truongtt thanhtra1 tiepdan1 admin"
for who in $roles; do
  if [ "$who" = admin ]; then bearers[$who]="$(token admin "$admin_password")"
  else bearers[$who]="$(token "$who" tiepdan-demo)"; fi
done

status=0
for who in $roles; do
  set -- "$who"
  echo "== responses against the OpenAPI document, signed in as $1 ($examples examples an operation)"
  bearer="${bearers[$1]}"
  # A run whose only problem is the tool's own crash (an ERRORS section of "Runtime Error"s, no
  # FAILURES) is run once more; a failed check never is. One worker: with two, CPython 3.11's
  # `ast` counted the recursion depth of both threads' parses together (its bug gh-106905) and
  # Hypothesis crashed with "AST constructor recursion depth mismatch" in CI.
  for attempt in 1 2; do
    code=0
    python3 -m schemathesis.cli run "$base/api/v1/openapi.json" --url "$base" \
      -H "Authorization: Bearer $bearer" --exclude-path-regex 'auth/logout$' \
      --checks response_schema_conformance,not_a_server_error \
      --phases examples,coverage,fuzzing --max-examples "$examples" --workers 1 \
      --seed 20261205 --no-color 2>&1 | tee "$data/schemathesis.log" || code=$?
    if [ "$code" -ne 0 ] && [ "$attempt" -eq 1 ] && ! grep -q '= FAILURES =' "$data/schemathesis.log" \
      && grep -q 'Runtime Error' "$data/schemathesis.log" \
      && ! grep -A2 '^___' "$data/schemathesis.log" | grep -qv -e '^___' -e 'Runtime Error' -e '^--$' -e '^$'; then
      echo "== schemathesis itself failed (not a check): once more, signed in as $1"
      continue
    fi
    break
  done
  [ "$code" -eq 0 ] || status=$code
done
if [ "$status" -ne 0 ]; then
  echo "--- server log (last 50 lines)" >&2
  tail -n 50 "$data/server.log" >&2
fi
exit "$status"
