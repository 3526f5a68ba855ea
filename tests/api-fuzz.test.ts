/**
 * Property test over every JSON endpoint (found on disk, as the authorization matrix does): a signed-in user the
 * spec allows sends hostile query strings and bodies built from the endpoint's own schema keys — boundary and
 * non-finite numbers, huge strings, impossible and far dates, prototype-pollution keys, wrong types, nesting.
 * The answer is never a 5xx, and a validation refusal (422 `invalid`) names the offending field (`body.x`, `query.y`);
 * other refusals carry their own code (e.g. `empty_file` for an upload without a file).
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import type { z } from "zod";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { makeOrg, type TestOrg } from "./fixtures";
import { call, signInAs } from "./route";
import { api } from "@/lib/api/spec";
import type { Endpoint } from "@/lib/api/endpoint";
import type { Role } from "@/lib/generated/prisma/enums";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));
vi.mock("@/lib/jobs/queue", async (o) => ({ ...(await o<object>()), enqueue: async () => "job-1", enqueueFollowUp: async () => undefined, enqueueAfterImport: async () => undefined }));

const ROOT = path.resolve(import.meta.dirname, "../app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? routeFiles(p) : f === "route.ts" ? [p] : [];
  });
}
const apiPath = (file: string) => `/api/v1/${path.relative(ROOT, path.dirname(file)).split(path.sep).map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/")}`.replace(/\/$/, "");

/** The top-level keys of an object schema (zod 4), or none. */
function keysOf(schema: z.ZodType | undefined): string[] {
  const s = schema as unknown as { shape?: Record<string, unknown>; _zod?: { def?: { shape?: Record<string, unknown>; in?: unknown } } } | undefined;
  const shape = s?.shape ?? s?._zod?.def?.shape;
  if (shape) return Object.keys(shape);
  const inner = s?._zod?.def?.in as z.ZodType | undefined;
  return inner ? keysOf(inner) : [];
}

const hostileScalar = fc.oneof(
  fc.constantFrom(
    0, -0, -1, 1e308, -1e308, 9007199254740993, 2 ** 63, 1e-320, 0.1234567891234, "1e309", "NaN", "Infinity", "-1",
    "", " ", "2017-02-30", "0000-01-01", "9999-12-31", "9999-99-99", "2026-13", "1", "2026-02-29T25:61:00Z", "99999999999999999999999",
    "12345678901234567890.123456789", "null", "true", "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "../../etc/passwd", "\u0000", "😀".repeat(50),
    "__proto__", "constructor", null, true, false,
  ),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 40 }),
  fc.constant("x".repeat(100_000)),
);
const hostileValue = fc.oneof(
  { depthSize: "small", withCrossShrink: true },
  hostileScalar,
  fc.array(hostileScalar, { maxLength: 5 }),
  fc.dictionary(fc.constantFrom("__proto__", "constructor", "prototype", "a", "toString"), hostileScalar, { maxKeys: 3 }),
);
/** An object over the schema's keys (some missing, some extra), values hostile. */
const hostileObject = (keys: string[]) =>
  fc
    .tuple(
      fc.subarray(keys),
      fc.array(hostileValue, { minLength: keys.length, maxLength: keys.length }),
      fc.dictionary(fc.constantFrom("__proto__", "constructor", "extra", "organizationId"), hostileScalar, { maxKeys: 2 }),
    )
    .map(([present, values, extra]) => {
      const o: Record<string, unknown> = JSON.parse(JSON.stringify(extra));
      present.forEach((k, i) => (o[k] = values[i]));
      return o;
    });
const asQuery = (o: Record<string, unknown>) =>
  Object.entries(o)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === "string" ? v : JSON.stringify(v) ?? "")}`)
    .join("&");

let o: TestOrg;
beforeAll(async () => {
  o = await makeOrg("fuzz");
});

describe("every JSON endpoint under hostile input", () => {
  it("never answers 5xx, and names the field when it refuses", async () => {
    const files = routeFiles(ROOT);
    const failures: string[] = [];
    let cases = 0;
    let endpoints = 0;
    for (const file of files) {
      const mod = (await import(file)) as Record<string, unknown>;
      const p = apiPath(file);
      for (const method of METHODS) {
        const handler = mod[method] as Parameters<typeof call>[0] | undefined;
        const ep = (Object.values(api) as Endpoint[]).find((e) => e.method === method && e.path === p);
        if (!handler || !ep || (!ep.query && !ep.body)) continue;
        const role = (ep.roles as readonly string[]).find((r) => r !== "API") as Role | undefined;
        if (!role) continue;
        endpoints++;
        const qKeys = keysOf(ep.query as z.ZodType | undefined);
        const bKeys = keysOf(ep.body as z.ZodType | undefined);
        await fc.assert(
          fc.asyncProperty(hostileObject(qKeys), hostileObject(bKeys), fc.constantFrom("cls", "foreign", "junk"), async (q, body, idKind) => {
            signInAs(o.users[role].id, o.org.id);
            const id = idKind === "cls" ? o.cls.id : idKind === "foreign" ? "cmforeignid000000000000000" : "../../x";
            const params = Object.fromEntries([...p.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], id]));
            const url = `${p.replace(/\{(\w+)\}/g, encodeURIComponent(id))}${ep.query ? `?${asQuery(q)}` : ""}`;
            const r = await call(handler, url, { method, params, ...(ep.body ? { body } : {}) });
            cases++;
            if (r.status >= 500) failures.push(`${method} ${p} → ${r.status} ${JSON.stringify({ q, body }).slice(0, 300)}`);
            else if (r.status === 422 && r.json?.error?.code === "invalid") {
              const issues = (r.json?.error?.issues ?? []) as { path: string }[];
              if (!issues.length || issues.some((i) => !/^(query|body|params)?\.?[\w.[\]-]*$/.test(i.path) || i.path === "")) failures.push(`${method} ${p} → 422 without a field: ${JSON.stringify(r.json).slice(0, 300)}`);
            }
            return true;
          }),
          { numRuns: RUNS, seed: 20261128 },
        );
      }
    }
    console.log(`fuzz endpoints=${endpoints} cases=${cases} failures=${failures.length}`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(endpoints).toBeGreaterThan(20);
  }, 300_000);
});
