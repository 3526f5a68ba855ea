/**
 * Read endpoints the web server (scripts/web-server.ts) answers itself, without Next, when asked with a session
 * cookie: today GET /api/v1/scenario, the dashboard's stress slider.
 *
 * Why: its answer depends on the shock asked, so the page cache cannot keep it, and Next's route handling costs
 * several milliseconds of CPU per request whatever the handler does — more than the scenario itself once its
 * simulated paths are kept (lib/services/hedging/dashboard.ts). On two cores that alone kept its p95 above 150 ms
 * at fifty concurrent users (README "Read path").
 *
 * What stays the same as the route handler (lib/api/handler.ts): the session check (the page cache's, which is a
 * render's: token signature and expiry, then `membershipCtx`), the endpoint's roles and zod query schema from
 * lib/api/spec.ts, NUL refusal, the service call (the one function the route calls), the read scope, the JSON
 * encoding and the security headers (lib/security/headers.json). What is not handled here goes to Next, which
 * answers as it always does: API tokens, no or a bad session (401), a role not allowed (403), a query that does
 * not parse (422), an id of another org (404), any error. So every error answer is still Next's own.
 *
 * DIRECT_API=off sends everything to Next.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { api } from "@/lib/api/spec";
import type { Endpoint } from "@/lib/api/endpoint";
import { toJson } from "@/lib/api/json";
import { assertNoNul } from "@/lib/api/nul";
import type { Ctx } from "@/lib/auth/context";
import { scenarioAnswer } from "@/lib/services/hedging/dashboard";
import { withReadScope } from "@/lib/services/read-cache";
import SECURITY_HEADERS from "@/lib/security/headers.json";
import { cookieSessionCtx, hasSessionCookie } from "./page-cache";

type Direct<E extends Endpoint> = { endpoint: E; run: (ctx: Ctx, query: z.output<NonNullable<E["query"]>>) => Promise<unknown> };
const direct = <E extends Endpoint>(d: Direct<E>) => d as unknown as Direct<Endpoint>;

/** Path → endpoint and the service call its route handler makes. */
export const DIRECT_API: ReadonlyMap<string, Direct<Endpoint>> = new Map([
  [api.scenario.path, direct({ endpoint: api.scenario, run: (ctx, query) => scenarioAnswer(ctx, query) })],
]);

export function directApiEnabled(): boolean {
  return process.env.DIRECT_API !== "off";
}

/** A request this module may answer: a GET of a listed endpoint with a session cookie and no Authorization header. */
export function directRequest(req: IncomingMessage): boolean {
  if (req.method !== "GET" || !directApiEnabled() || req.headers.authorization !== undefined) return false;
  return DIRECT_API.has((req.url ?? "/").split("?", 1)[0]) && hasSessionCookie(req);
}

function securityHeaders(): { key: string; value: string }[] {
  return [...SECURITY_HEADERS.always, ...((process.env.NEXTAUTH_URL ?? "").startsWith("https://") ? SECURITY_HEADERS.https : [])];
}

/** Answers a direct request (directRequest), or hands it to `next` whenever the answer would not be a 200. */
export async function serveDirect(req: IncomingMessage, res: ServerResponse, next: () => unknown): Promise<void> {
  let body: string;
  try {
    const url = new URL(req.url ?? "/", "http://local");
    const d = DIRECT_API.get(url.pathname);
    const ctx = d ? await cookieSessionCtx(req) : null;
    if (!d || !ctx || !d.endpoint.roles.includes(ctx.role)) return void next();
    const raw = Object.fromEntries(url.searchParams.entries());
    if (assertNoNul(raw, "query").length) return void next();
    const query = d.endpoint.query ? d.endpoint.query.safeParse(raw) : null;
    if (query && !query.success) return void next();
    body = toJson(await withReadScope(() => d.run(ctx, query?.data as never)));
  } catch {
    // an AppError (a 404, …) or a failure: Next answers it, and logs what it logs
    return void next();
  }
  for (const h of securityHeaders()) res.setHeader(h.key, h.value);
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.setHeader("X-Served-By", "web-server");
  res.writeHead(200);
  res.end(body);
}
