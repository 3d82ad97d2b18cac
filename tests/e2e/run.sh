#!/usr/bin/env bash
# Runs the browser tests against a fresh server: `tests/e2e/run.sh demo` (with --demo) or
# `tests/e2e/run.sh empty` (first-run admin only). Uses the debug binary target/debug/tiepdan
# (build it first: cargo build), Debian's /usr/bin/chromium and the npm packages of this folder
# (installed with `npm ci` when missing). Screenshots go to tests/e2e/screenshots/.
set -euo pipefail
mode="${1:-demo}"
case "$mode" in demo | empty) ;; *) echo "usage: $0 demo|empty" >&2; exit 2 ;; esac
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${TIEPDAN_BIN:-$root/target/debug/tiepdan}"
[ -x "$bin" ] || { echo "no server binary at $bin: run cargo build first" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "no /usr/bin/chromium: apt-get install chromium" >&2; exit 1; }
[ -d "$here/node_modules/playwright-core" ] || (cd "$here" && npm ci --no-audit --no-fund)

data="$(mktemp -d "${TMPDIR:-/tmp}/tiepdan-e2e-$mode.XXXXXX")"
port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
admin_password="e2e-Admin-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
args=()
[ "$mode" = demo ] && args+=(--demo)

# SQLite in a fresh folder whatever DATABASE_URL says; env execs the server, so $! is its pid.
env -u DATABASE_URL \
  TIEPDAN_BIND="127.0.0.1:$port" \
  TIEPDAN_DATA_DIR="$data" \
  TIEPDAN_PUBLIC_URL="http://127.0.0.1:$port" \
  TIEPDAN_ADMIN_PASSWORD="$admin_password" \
  TIEPDAN_JWT_SECRET="$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" \
  RUST_LOG="${RUST_LOG:-warn}" \
  "$bin" "${args[@]}" >"$data/server.log" 2>&1 &
server=$!
stop() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$data"
}
trap stop EXIT

for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$data/server.log" >&2; exit 1; fi
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/health" >/dev/null || { echo "server did not start" >&2; cat "$data/server.log" >&2; exit 1; }

echo "e2e ($mode): server on 127.0.0.1:$port, data in $data"
cd "$here"
status=0
E2E_BASE_URL="http://127.0.0.1:$port" E2E_MODE="$mode" E2E_ADMIN_PASSWORD="$admin_password" \
  node --test --test-concurrency=1 --test-reporter=spec ${E2E_FILES:-*.test.js} || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log (last 50 lines)" >&2
  tail -n 50 "$data/server.log" >&2
fi
exit "$status"
