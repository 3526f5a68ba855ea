import { withReadScope } from "@/lib/services/read-cache";
import { z } from "zod";
import type { NextRequest } from "next/server";
import type { Endpoint } from "./endpoint";
import { jsonResponse } from "./json";
import { AppError } from "@/lib/errors";
import { requireRole, sessionCtx, tokenCtx, type Ctx } from "@/lib/auth/context";
import { tokenMayCall } from "@/lib/auth/scopes";
import { log } from "@/lib/log";
import { assertNoNul } from "./nul";
import { isStatementTimeout } from "@/lib/db/errors";
import { requestStatementTimeoutMs } from "@/lib/db/pg";

const capText = () => {
  const ms = requestStatementTimeoutMs();
  return ms ? `${(ms / 1000).toLocaleString("en-US")} s` : "time";
};

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export type HandlerArgs<E extends Endpoint> = {
  ctx: Ctx;
  query: Infer<E["query"]>;
  body: Infer<E["body"]>;
  params: Record<string, string>;
  req: NextRequest;
};

function issuesOf(err: z.ZodError, prefix: string) {
  return err.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join("."), message: i.message }));
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issues = issuesOf(r.error, where);
    throw new AppError(422, "invalid", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
  }
  return r.data;
}

function refuseNul(value: unknown, where: string) {
  const issues = assertNoNul(value, where);
  if (issues.length) throw new AppError(422, "invalid", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
}

/** JSON bodies above this are refused before they are read (413). */
export const MAX_JSON_BYTES = 1_000_000;
const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Cookie sessions are sent by browsers on cross-site requests too: a mutation with a session cookie must come
 * from this app's own pages (Sec-Fetch-Site same-origin, or an Origin equal to the request's host or to
 * NEXTAUTH_URL). API tokens are not sent automatically by browsers and are exempt.
 */
function assertSameOrigin(req: NextRequest) {
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw new AppError(403, "cross_site", "Cross-site requests cannot change data with a session cookie");
  const origin = req.headers.get("origin");
  if (!origin) return;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    throw new AppError(403, "cross_site", "Bad Origin header");
  }
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  const configured = process.env.NEXTAUTH_URL ? new URL(process.env.NEXTAUTH_URL).host : null;
  if (o.host !== host && o.host !== configured) throw new AppError(403, "cross_site", "Cross-site requests cannot change data with a session cookie");
}

/**
 * Every /api route goes through here: authenticate (an Authorization header that is present must be a valid
 * API token — it never falls back to the cookie) → check role → for cookie sessions, refuse cross-site
 * mutations → parse query and body with zod (JSON only, size-limited) → run the use case → map errors
 * (validation 422, unknown/foreign ids 404, role 403, conflicts 409). Nothing is read before the caller is known.
 */
export function handle<E extends Endpoint>(ep: E, fn: (a: HandlerArgs<E>) => Promise<unknown>) {
  return async (req: NextRequest, route: { params: Promise<Record<string, string>> }) => {
    const started = Date.now();
    try {
      const params = (await route?.params) ?? {};
      const authorization = req.headers.get("authorization");
      let ctx: Ctx | null;
      if (authorization !== null) {
        ctx = await tokenCtx(authorization);
        if (!ctx) throw new AppError(401, "unauthorized", "The Authorization header is not a valid API token (expected: Bearer th_…)");
      } else {
        ctx = await sessionCtx();
        if (ctx && MUTATING.has(ep.method)) assertSameOrigin(req);
      }
      if (ctx?.role === "API") {
        // tokens are authorized by the scope chosen at creation, not by a role
        if (!tokenMayCall(ep, ctx.scope ?? "READ")) throw new AppError(403, "forbidden", `This API token's scope (${ctx.scope ?? "READ"}) does not allow ${ep.method} ${ep.path}`);
      } else ctx = requireRole(ctx, ep.roles);
      const rawQuery = Object.fromEntries(req.nextUrl.searchParams.entries());
      if (ep.query) refuseNul(rawQuery, "query");
      const query = ep.query ? parseOrThrow(ep.query, rawQuery, "query") : undefined;
      let body: unknown = undefined;
      if (ep.body) {
        const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
        if (type !== "application/json") throw new AppError(415, "unsupported_media_type", "Send the request body as application/json");
        const declared = Number(req.headers.get("content-length") ?? "0");
        if (declared > MAX_JSON_BYTES) throw new AppError(413, "too_large", `Request bodies are limited to ${MAX_JSON_BYTES} bytes`);
        const text = await req.text();
        if (Buffer.byteLength(text) > MAX_JSON_BYTES) throw new AppError(413, "too_large", `Request bodies are limited to ${MAX_JSON_BYTES} bytes`);
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch {
          throw new AppError(400, "bad_json", "Request body must be valid JSON");
        }
        refuseNul(raw, "body");
        body = parseOrThrow(ep.body, raw, "body");
      }
      const args = { ctx, query, body, params, req } as HandlerArgs<E>;
      // a GET's cached reads share one data-version lookup
      const result = ep.method === "GET" ? await withReadScope(() => fn(args)) : await fn(args);
      if (result instanceof Response) return result;
      return jsonResponse(result, ep.method === "POST" ? 201 : 200);
    } catch (e) {
      if (e instanceof AppError) {
        return jsonResponse({ error: { code: e.code, message: e.message, issues: e.issues } }, e.status);
      }
      if (isStatementTimeout(e)) {
        log.warn({ path: ep.path, method: ep.method, ms: Date.now() - started }, "request stopped by the statement cap");
        return jsonResponse({ error: { code: "query_timeout", message: `This request needed more than the ${capText()} a query may run here and was stopped. Ask for less: a shorter date range, week or month buckets, or one team, model or class.` } }, 503);
      }
      log.error({ err: e, path: ep.path, method: ep.method }, "unhandled API error");
      return jsonResponse({ error: { code: "internal", message: "Internal error" } }, 500);
    } finally {
      log.debug({ path: ep.path, method: ep.method, ms: Date.now() - started }, "api");
    }
  };
}
