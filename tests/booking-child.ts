/**
 * Child process for the booking kill test (booking-kill.test.ts): books KEYS contracts through the booking service,
 * PARALLEL at a time, with deterministic idempotency keys; killed with SIGKILL part-way, or run to completion.
 */
import { bookContract } from "@/lib/services/hedging/contracts";

const [orgId, userId, providerId, modelClassId, counterpartyId, keys, parallel] = process.argv.slice(2);
const d = new Date();
const start = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 2, 0)).toISOString().slice(0, 10);
const ctx = { orgId, orgName: "kill test", isDemo: false, actorId: userId, actorName: "kill test", role: "PROCUREMENT" as const, teamId: null };
let next = 0;
async function lane() {
  for (;;) {
    const i = next++;
    if (i >= Number(keys)) return;
    const body = {
      providerId, modelClassId, counterpartyId, quantityTokens: "1000000000", windowStart: start, windowEnd: end, strikeUsdPerMTokens: "2.5",
      settlement: "FINANCIAL" as const, substitutionRule: "MANUAL_REVIEW" as const, confirmFarFromCurve: true,
    };
    await bookContract(ctx, body, `kill-booking-${String(i).padStart(5, "0")}`);
  }
}
await Promise.all(Array.from({ length: Number(parallel) }, lane));
process.exit(0);
