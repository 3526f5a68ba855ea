#!/usr/bin/env bash
# npm audit of the production dependencies (SECURITY.md "Dependencies"). Exit 0: no high or critical advisory.
# Exit 1: advisories (printed by npm). Exit 3: the registry's advisory endpoint could not be reached — nothing was
# checked, which is reported as such rather than as a pass.
set -uo pipefail
cd "$(dirname "$0")/.."
out="$(npm audit --omit=dev --audit-level=high 2>&1)"; rc=$?
if grep -q "audit endpoint returned an error\|ENOTFOUND\|ECONNREFUSED\|EAI_AGAIN\|405 Method Not Allowed" <<<"$out"; then
  echo "audit:deps: the npm advisory endpoint is not reachable from here; no dependency was checked" >&2
  exit 3
fi
echo "$out"
exit $rc
