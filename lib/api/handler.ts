import { z } from "zod";
import type { NextRequest } from "next/server";
import type { Endpoint } from "./endpoint";
import { jsonResponse } from "./json";
import { AppError } from "@/lib/errors";
import { requireRole, sessionCtx, tokenCtx, type Ctx } from "@/lib/auth/context";
import { log } from "@/lib/log";

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

/**
 * Every /api route goes through here: parse input with zod → resolve session or API token → check role →
 * run the use case → map errors (validation 422, unknown/foreign ids 404, role 403, conflicts 409).
 */
export function handle<E extends Endpoint>(ep: E, fn: (a: HandlerArgs<E>) => Promise<unknown>) {
  return async (req: NextRequest, route: { params: Promise<Record<string, string>> }) => {
    const started = Date.now();
    try {
      const params = (await route?.params) ?? {};
      const query = ep.query
        ? parseOrThrow(ep.query, Object.fromEntries(req.nextUrl.searchParams.entries()), "query")
        : undefined;
      let body: unknown = undefined;
      if (ep.body) {
        let raw: unknown;
        try {
          raw = await req.json();
        } catch {
          throw new AppError(400, "bad_json", "Request body must be valid JSON");
        }
        body = parseOrThrow(ep.body, raw, "body");
      }
      const ctx = requireRole((await tokenCtx(req.headers.get("authorization"))) ?? (await sessionCtx()), ep.roles);
      const result = await fn({ ctx, query, body, params, req } as HandlerArgs<E>);
      if (result instanceof Response) return result;
      return jsonResponse(result, ep.method === "POST" ? 201 : 200);
    } catch (e) {
      if (e instanceof AppError) {
        return jsonResponse({ error: { code: e.code, message: e.message, issues: e.issues } }, e.status);
      }
      log.error({ err: e, path: ep.path, method: ep.method }, "unhandled API error");
      return jsonResponse({ error: { code: "internal", message: "Internal error" } }, 500);
    } finally {
      log.debug({ path: ep.path, method: ep.method, ms: Date.now() - started }, "api");
    }
  };
}
