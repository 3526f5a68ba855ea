#!/usr/bin/env bash
# The whole test suite: unit + integration (vitest, against a fresh PostgreSQL database per run) and
# Playwright e2e in Debian's Chromium (against the built app on another fresh database). Provisions what
# it needs: dependencies, the local PostgreSQL cluster, chromium. Drops its databases on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

[ -x node_modules/.bin/next ] || npm ci

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "starting local PostgreSQL cluster"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "installing Debian chromium for Playwright"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

echo "== typecheck"
npx tsc --noEmit

echo "== unit + integration (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-output/vitest.json

echo "== e2e (Playwright)"
db="th_e2e_$(date +%s)_$RANDOM"
admin_url="${TEST_PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
psql -q "$admin_url" -c "CREATE DATABASE \"$db\""
cleanup() { psql -q "$admin_url" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true; }
trap cleanup EXIT
export E2E_DATABASE_URL="${admin_url%/*}/$db"
DATABASE_URL="$E2E_DATABASE_URL" NEXT_SKIP_TYPECHECK=1 npx next build >/tmp/tokenhedge-next-build.log 2>&1 || { tail -50 /tmp/tokenhedge-next-build.log; exit 1; }
npx playwright test

node scripts/test-summary.mjs .test-output/vitest.json playwright-report/results.json
