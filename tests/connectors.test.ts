/**
 * Usage connectors (issue 17) against a local HTTP server that implements the two documented endpoints —
 * OpenAI GET /v1/organization/usage/completions and Anthropic GET /v1/organizations/usage_report/messages —
 * with daily buckets, has_more/next_page pagination (3 buckets a page), a 429 with retry-after when asked, and a
 * 401 for a wrong key. No real network. Real PostgreSQL, the real import path.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db/client";
import { addDays, utcDay } from "@/lib/domain/time";
import { updateSettings } from "@/lib/services/org";
import { syncConnector } from "@/lib/services/connectors/connectors";
import { openSecret } from "@/lib/services/connectors/secret-box";
import { retryAfterMs } from "@/lib/connectors/usage-api";
import { HANDLERS } from "@/lib/jobs/handlers";
import { JOBS } from "@/lib/jobs/queue";
import { addClaude, makeOrg, type TestOrg } from "./fixtures";
import { expectStorageConsistent, usageRecords } from "./usage-db";
import { call, signInAs, signOut } from "./route";
import * as connectorsRoute from "@/app/api/v1/connectors/route";
import * as connectorRoute from "@/app/api/v1/connectors/[id]/route";
import * as syncRoute from "@/app/api/v1/connectors/[id]/sync/route";
import * as runsRoute from "@/app/api/v1/connectors/[id]/runs/route";
import * as usageRoute from "@/app/api/v1/usage/route";
import * as openapi from "@/app/api/v1/openapi.json/route";
import { Readable } from "node:stream";
import { importUsage } from "@/lib/services/usage-import";
import { rollupUsage } from "@/lib/services/usage-rollup";
import { api } from "@/lib/api/spec";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));
const queued: unknown[] = [];
vi.mock("@/lib/jobs/queue", async (o) => ({
  ...(await o<object>()),
  enqueueAfterImport: async () => undefined,
  enqueueFollowUp: async () => undefined,
  enqueue: async (name: string, data: unknown) => void queued.push({ name, data }),
}));

const OPENAI_KEY = "sk-admin-ConnectorTestKey0123456789abcd";
const ANTHROPIC_KEY = "sk-ant-admin01-ConnectorTestKey9876543210wxyz";
const PAGE = 3;

type OpenAIResult = { project_id: string | null; api_key_id: string | null; model: string; input_tokens: number; output_tokens: number; input_cached_tokens: number; num_model_requests: number };
type AnthropicResult = {
  workspace_id: string | null; api_key_id: string | null; model: string; uncached_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number }; cache_read_input_tokens: number; output_tokens: number;
};

/** The provider's usage, by UTC day (YYYY-MM-DD). */
const openaiDays = new Map<string, OpenAIResult[]>();
const anthropicDays = new Map<string, AnthropicResult[]>();
const seen: { provider: "openai" | "anthropic"; start: string; page: string | null; status: number }[] = [];
let rateLimitNext = false;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Buckets of [start, end), one per day (empty days included, as the APIs answer), PAGE at a time. */
function paged<T>(days: Map<string, T[]>, start: Date, end: Date, page: string | null, bucket: (d: Date, results: T[]) => object) {
  const all: object[] = [];
  for (let d = utcDay(start); d < end; d = addDays(d, 1)) all.push(bucket(d, days.get(d.toISOString().slice(0, 10)) ?? []));
  const from = page ? Number(Buffer.from(page, "base64").toString()) : 0;
  const next = from + PAGE;
  return { data: all.slice(from, next), has_more: next < all.length, next_page: next < all.length ? Buffer.from(String(next)).toString("base64") : null };
}

function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url!, "http://x");
  if (url.pathname === "/v1/organization/usage/completions") {
    const start = new Date(Number(url.searchParams.get("start_time")) * 1000);
    const page = url.searchParams.get("page");
    const log = (status: number) => seen.push({ provider: "openai", start: start.toISOString().slice(0, 10), page, status });
    if (req.headers.authorization !== `Bearer ${OPENAI_KEY}`) return log(401), send(res, 401, { error: { message: "Incorrect API key provided", type: "invalid_request_error" } });
    if (rateLimitNext) {
      rateLimitNext = false;
      return log(429), send(res, 429, { error: { message: "Rate limit reached" } }, { "retry-after": "1" });
    }
    const groups = url.searchParams.getAll("group_by").sort().join(",");
    if (groups !== "api_key_id,model,project_id" || url.searchParams.get("bucket_width") !== "1d") return log(400), send(res, 400, { error: { message: `bad query ${url.search}` } });
    log(200);
    const end = new Date(Number(url.searchParams.get("end_time")) * 1000);
    return send(res, 200, {
      object: "page",
      ...paged(openaiDays, start, end, page, (d, results) => ({
        object: "bucket",
        start_time: d.getTime() / 1000,
        end_time: addDays(d, 1).getTime() / 1000,
        results: results.map((r) => ({ object: "organization.usage.completions.result", user_id: null, batch: null, ...r })),
      })),
    });
  }
  if (url.pathname === "/v1/organizations/usage_report/messages") {
    const start = new Date(url.searchParams.get("starting_at")!);
    const page = url.searchParams.get("page");
    const log = (status: number) => seen.push({ provider: "anthropic", start: start.toISOString().slice(0, 10), page, status });
    if (req.headers["x-api-key"] !== ANTHROPIC_KEY) return log(401), send(res, 401, { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } });
    if (req.headers["anthropic-version"] !== "2023-06-01") return log(400), send(res, 400, { type: "error", error: { type: "invalid_request_error", message: "anthropic-version header is required" } });
    const groups = url.searchParams.getAll("group_by[]").sort().join(",");
    if (groups !== "api_key_id,model,workspace_id") return log(400), send(res, 400, { error: { message: `bad query ${url.search}` } });
    log(200);
    const end = new Date(url.searchParams.get("ending_at")!);
    return send(res, 200, paged(anthropicDays, start, end, page, (d, results) => ({ starting_at: d.toISOString(), ending_at: addDays(d, 1).toISOString(), results })));
  }
  send(res, 404, { error: { message: "not found" } });
}

const server = createServer(handle);
let t: TestOrg;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.CONNECTOR_OPENAI_BASE_URL = base;
  process.env.CONNECTOR_ANTHROPIC_BASE_URL = base;
  t = await makeOrg("connectors");
  // project → Support; one API key of that project → Search (a key mapping wins over its project's)
  await prisma.teamMapping.create({ data: { organizationId: t.org.id, source: "OPENAI_PROJECT", externalId: "proj_support", teamId: t.teamA.id } });
  await prisma.teamMapping.create({ data: { organizationId: t.org.id, source: "OPENAI_API_KEY", externalId: "key_search", teamId: t.teamB.id } });
  // 2026-10-01 … 2026-10-10: per day, gpt-4.1 on the project (no key) and gpt-4.1-mini on the Search key
  for (let i = 1; i <= 10; i++) {
    const day = `2026-10-${String(i).padStart(2, "0")}`;
    openaiDays.set(day, [
      { project_id: "proj_support", api_key_id: null, model: "gpt-4.1", input_tokens: 1000 * i, output_tokens: 100 * i, input_cached_tokens: 10 * i, num_model_requests: i },
      { project_id: "proj_support", api_key_id: "key_search", model: "gpt-4.1-mini", input_tokens: 7 * i, output_tokens: 3 * i, input_cached_tokens: 0, num_model_requests: 1 },
    ]);
  }
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

/** tokens per team/model: what the explorer and every read model are built from */
async function totals(orgId: string) {
  const teams = new Map([[t.teamA.id, "Support"], [t.teamB.id, "Search"]]);
  const out: Record<string, { input: bigint; output: bigint; cached: bigint; days: number }> = {};
  for (const r of await usageRecords(orgId)) {
    const k = `${teams.get(r.teamId)}/${r.modelId === t.gpt.id ? "gpt-4.1" : r.modelId === t.mini.id ? "gpt-4.1-mini" : r.modelId}`;
    const o = (out[k] ??= { input: 0n, output: 0n, cached: 0n, days: 0 });
    o.input += r.inputTokens;
    o.output += r.outputTokens;
    o.cached += r.cachedInputTokens;
    o.days++;
  }
  return out;
}
const importCount = (orgId: string) => prisma.import.count({ where: { organizationId: orgId, kind: "USAGE" } });
const usageVersion = async (orgId: string) => (await prisma.organization.findUniqueOrThrow({ where: { id: orgId } })).usageVersion;

describe("connector API: admin only, the key never returned nor stored in plaintext", () => {
  it("creates, lists, masks and audits; other roles get 403; bad input names the field", async () => {
    signInAs(t.users.ADMIN.id, t.org.id);
    const bad = await call(connectorsRoute.POST, "/api/v1/connectors", { method: "POST", body: { provider: "OPENAI", name: "x", adminKey: "short", startDate: "2026-10-01", baseUrl: "http://evil.example" } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(["body.adminKey", "body.baseUrl"]);

    const r = await call(connectorsRoute.POST, "/api/v1/connectors", { method: "POST", body: { provider: "OPENAI", name: "OpenAI prod", adminKey: OPENAI_KEY, startDate: "2026-10-01" } });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ provider: "OPENAI", name: "OpenAI prod", keyHint: "sk-admin-…abcd", startDate: "2026-10-01", enabled: true, syncedThrough: null });
    expect(r.text).not.toContain(OPENAI_KEY);
    expect(r.text).not.toContain("keyCiphertext");
    const dup = await call(connectorsRoute.POST, "/api/v1/connectors", { method: "POST", body: { provider: "OPENAI", name: "OpenAI prod", adminKey: OPENAI_KEY, startDate: "2026-10-01" } });
    expect(dup.status).toBe(409);

    const list = await call(connectorsRoute.GET, "/api/v1/connectors");
    expect(list.status).toBe(200);
    expect(list.json).toHaveLength(1);
    expect(list.text).not.toContain(OPENAI_KEY);
    const one = await call(connectorRoute.GET, `/api/v1/connectors/${r.json.id}`, { params: { id: r.json.id } });
    expect(one.text).not.toContain(OPENAI_KEY);

    // at rest: no column of the row and no audit event holds the key; the ciphertext opens only for this org
    const [row] = await prisma.$queryRaw<{ t: string }[]>`SELECT row_to_json(c)::text AS t FROM "UsageConnector" c WHERE id = ${r.json.id}`;
    expect(row.t).not.toContain(OPENAI_KEY);
    expect(row.t).not.toContain(OPENAI_KEY.slice(9, 30));
    const audits = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "AuditEvent" WHERE "organizationId" = ${t.org.id} AND data::text LIKE ${`%${OPENAI_KEY.slice(9, 30)}%`}`;
    expect(Number(audits[0].n)).toBe(0);
    expect(await prisma.auditEvent.count({ where: { organizationId: t.org.id, action: "connector.created", entityId: r.json.id } })).toBe(1);
    const stored = await prisma.usageConnector.findUniqueOrThrow({ where: { id: r.json.id } });
    expect(openSecret(stored.keyCiphertext, t.org.id)).toBe(OPENAI_KEY);
    expect(() => openSecret(stored.keyCiphertext, "another-org")).toThrow();

    for (const role of ["CFO", "PROCUREMENT", "TEAM_LEAD"] as const) {
      signInAs(t.users[role].id, t.org.id);
      expect((await call(connectorsRoute.GET, "/api/v1/connectors")).status).toBe(403);
      expect((await call(syncRoute.POST, `/api/v1/connectors/${r.json.id}/sync`, { method: "POST", params: { id: r.json.id } })).status).toBe(403);
    }
    signInAs(t.users.ADMIN.id, t.org.id);
    const sync = await call(syncRoute.POST, `/api/v1/connectors/${r.json.id}/sync`, { method: "POST", params: { id: r.json.id } });
    expect(sync.status).toBe(201);
    expect(queued.at(-1)).toEqual({ name: JOBS.syncConnectors, data: { orgId: t.org.id, connectorId: r.json.id, reason: "manual" } });
    signOut();
  });
});

describe("OpenAI completions usage: backfill, pagination, 429, re-sync, incremental", () => {
  let connectorId: string;
  beforeAll(async () => {
    connectorId = (await prisma.usageConnector.findFirstOrThrow({ where: { organizationId: t.org.id, name: "OpenAI prod" } })).id;
  });

  it("backfills from the start date through the import path, following next_page and waiting out a 429", async () => {
    seen.length = 0;
    rateLimitNext = true;
    const started = Date.now();
    const r = await syncConnector(t.org.id, connectorId, { trigger: "test", now: new Date("2026-10-06T12:00:00Z") });
    expect(r).toMatchObject({ status: "SUCCEEDED", fromDay: "2026-10-01", toDay: "2026-10-06", daysChanged: 6, rowsImported: 12, importStatus: "COMPLETED", error: null });
    // 6 daily buckets, 3 a page: 2 pages, the first one asked twice (429 then 200) after the retry-after second
    expect(seen.map((s) => s.status)).toEqual([429, 200, 200]);
    expect(seen[2].page).not.toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    // days 1…6: gpt-4.1 input 1000·21, output 100·21, cached 10·21; gpt-4.1-mini (key → Search) 7·21, 3·21
    expect(await totals(t.org.id)).toEqual({
      "Support/gpt-4.1": { input: 21_000n, output: 2_100n, cached: 210n, days: 6 },
      "Search/gpt-4.1-mini": { input: 147n, output: 63n, cached: 0n, days: 6 },
    });
    await expectStorageConsistent(t.org.id);
    const run = await prisma.connectorSyncRun.findUniqueOrThrow({ where: { id: r.runId } });
    expect(run).toMatchObject({ status: "SUCCEEDED", requests: 3, rowsFetched: 12, rowsImported: 12, rowsRejected: 0, days: 6, daysChanged: 6 });
    const imp = await prisma.import.findUniqueOrThrow({ where: { id: run.importId! } });
    expect(imp).toMatchObject({ status: "COMPLETED", format: "openai", rowsAccepted: 12 });
    expect(await prisma.auditEvent.count({ where: { organizationId: t.org.id, action: "usage.imported", entityId: imp.id } })).toBe(1);
    const c = await prisma.usageConnector.findUniqueOrThrow({ where: { id: connectorId } });
    expect(c.syncedThrough?.toISOString().slice(0, 10)).toBe("2026-10-05");
    expect(c.lastError).toBeNull();
  });

  it("a re-sync of the same days is a no-op: no import, no new rows, no new usage version", async () => {
    const before = { imports: await importCount(t.org.id), rows: await usageRecords(t.org.id), version: await usageVersion(t.org.id), versions: await prisma.modelVersion.count({ where: { organizationId: t.org.id } }) };
    seen.length = 0;
    const r = await syncConnector(t.org.id, connectorId, { trigger: "test", now: new Date("2026-10-06T18:00:00Z") });
    expect(r).toMatchObject({ status: "SUCCEEDED", daysChanged: 0, rowsImported: 0, importStatus: null });
    // incremental: from the day before the last synced day (2026-10-05)
    expect(seen.map((s) => s.start)).toEqual(["2026-10-04"]);
    expect(await importCount(t.org.id)).toBe(before.imports);
    expect(await usageRecords(t.org.id)).toEqual(before.rows);
    expect(await usageVersion(t.org.id)).toBe(before.version);
    expect(await prisma.modelVersion.count({ where: { organizationId: t.org.id } })).toBe(before.versions);
    const run = await prisma.connectorSyncRun.findUniqueOrThrow({ where: { id: r.runId } });
    expect(run.message).toBe("No day changed since the last sync: nothing imported.");
  });

  it("an incremental sync fetches from the last synced day on, imports new days and replaces a day that grew late", async () => {
    // late data for 2026-10-06 (partial when last synced): +500 input on gpt-4.1
    openaiDays.get("2026-10-06")![0].input_tokens += 500;
    seen.length = 0;
    const r = await syncConnector(t.org.id, connectorId, { trigger: "test", now: new Date("2026-10-09T06:00:00Z") });
    expect(seen.filter((s) => s.status === 200).map((s) => s.start)).toEqual(["2026-10-04", "2026-10-04"]);
    expect(seen[0].page).toBeNull();
    // fetched 10-04 … 10-09 (6 days): 10-04 and 10-05 unchanged, 10-06 grew, 10-07 … 10-09 new
    expect(r).toMatchObject({ status: "SUCCEEDED", fromDay: "2026-10-04", toDay: "2026-10-09", daysChanged: 4, rowsImported: 8, importStatus: "COMPLETED" });
    // days 1…9: 1000·45 + 500, 100·45, 10·45; mini 7·45, 3·45 — the grown day replaced, not added twice
    expect(await totals(t.org.id)).toEqual({
      "Support/gpt-4.1": { input: 45_500n, output: 4_500n, cached: 450n, days: 9 },
      "Search/gpt-4.1-mini": { input: 315n, output: 135n, cached: 0n, days: 9 },
    });
    await expectStorageConsistent(t.org.id);
    const runs = await call(runsRoute.GET, `/api/v1/connectors/${connectorId}/runs`, { params: { id: connectorId } });
    expect(runs.status).toBe(401); // signed out
    signInAs(t.users.ADMIN.id, t.org.id);
    const list = await call(runsRoute.GET, `/api/v1/connectors/${connectorId}/runs?pageSize=2`, { params: { id: connectorId } });
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(list.json.rows[0]).toMatchObject({ id: r.runId, fromDay: "2026-10-04", toDay: "2026-10-09", daysChanged: 4, rowsImported: 8, status: "SUCCEEDED" });
    signOut();
  });

  it("rows of an unmapped project are skipped, reported, and imported on a later sync once mapped", async () => {
    openaiDays.get("2026-10-09")!.push({ project_id: "proj_new", api_key_id: null, model: "gpt-4.1", input_tokens: 42, output_tokens: 4, input_cached_tokens: 0, num_model_requests: 1 });
    // 1 row of 3 that day: under a 50% threshold the valid rows import
    await updateSettings(t.ctx("ADMIN"), { importErrorThresholdPct: 50 });
    const r = await syncConnector(t.org.id, connectorId, { trigger: "test", now: new Date("2026-10-09T20:00:00Z") });
    expect(r).toMatchObject({ status: "SUCCEEDED", daysChanged: 1, rowsImported: 2, importStatus: "COMPLETED" });
    const run = await prisma.connectorSyncRun.findUniqueOrThrow({ where: { id: r.runId } });
    expect(run.rowsRejected).toBe(1);
    expect(run.message).toContain("OPENAI_PROJECT proj_new (1 rows)");
    await prisma.teamMapping.create({ data: { organizationId: t.org.id, source: "OPENAI_PROJECT", externalId: "proj_new", teamId: t.teamB.id } });
    const again = await syncConnector(t.org.id, connectorId, { trigger: "test", now: new Date("2026-10-09T21:00:00Z") });
    expect(again).toMatchObject({ status: "SUCCEEDED", daysChanged: 1, rowsImported: 3 });
    expect((await totals(t.org.id))["Search/gpt-4.1"]).toEqual({ input: 42n, output: 4n, cached: 0n, days: 1 });
    const third = await syncConnector(t.org.id, connectorId, { trigger: "test", now: new Date("2026-10-09T22:00:00Z") });
    expect(third).toMatchObject({ daysChanged: 0, importStatus: null });
    await expectStorageConsistent(t.org.id);
  });

  it("a refused key (401) is a clear sync error on the run and the connector, shown by GET; nothing is imported", async () => {
    signInAs(t.users.ADMIN.id, t.org.id);
    const c = await call(connectorsRoute.POST, "/api/v1/connectors", { method: "POST", body: { provider: "OPENAI", name: "Wrong key", adminKey: "sk-admin-ThisKeyIsNotKnownToTheServer", startDate: "2026-10-01" } });
    const imports = await importCount(t.org.id);
    const r = await syncConnector(t.org.id, c.json.id, { trigger: "test", now: new Date("2026-10-06T12:00:00Z") });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("OpenAI refused the admin key (401): Incorrect API key provided. Check that it is an admin key with access to usage reports, then replace it on the connector.");
    expect(await importCount(t.org.id)).toBe(imports);
    const list = await call(connectorsRoute.GET, "/api/v1/connectors");
    const shown = list.json.find((x: { id: string }) => x.id === c.json.id);
    expect(shown.lastError).toBe(r.error);
    expect(shown.recentRuns[0]).toMatchObject({ status: "FAILED", error: r.error, rowsImported: 0 });
    expect(shown.syncedThrough).toBeNull();
    // disabled: "Sync now" is refused; replacing the key clears the error
    const off = await call(connectorRoute.PATCH, `/api/v1/connectors/${c.json.id}`, { method: "PATCH", params: { id: c.json.id }, body: { enabled: false } });
    expect(off.json.enabled).toBe(false);
    expect((await call(syncRoute.POST, `/api/v1/connectors/${c.json.id}/sync`, { method: "POST", params: { id: c.json.id } })).status).toBe(409);
    const fixed = await call(connectorRoute.PATCH, `/api/v1/connectors/${c.json.id}`, { method: "PATCH", params: { id: c.json.id }, body: { adminKey: OPENAI_KEY, enabled: true } });
    expect(fixed.json).toMatchObject({ lastError: null, keyHint: "sk-admin-…abcd", enabled: true });
    expect(fixed.text).not.toContain(OPENAI_KEY);
    expect((await call(connectorRoute.DELETE, `/api/v1/connectors/${c.json.id}`, { method: "DELETE", params: { id: c.json.id } })).json).toEqual({ deleted: true });
    signOut();
  });
});

describe("Anthropic messages usage report, run by the worker's job handler", () => {
  it("maps workspaces (the default workspace as \"default\"), counts cache creation and reads as input, and re-syncs as a no-op", async () => {
    const a = await makeOrg("connectors-anthropic");
    const claude = await addClaude(a, "anthropic/claude-sonnet-4-20250514");
    await prisma.teamMapping.create({ data: { organizationId: a.org.id, source: "ANTHROPIC_WORKSPACE", externalId: "wrkspc_support", teamId: a.teamA.id } });
    await prisma.teamMapping.create({ data: { organizationId: a.org.id, source: "ANTHROPIC_WORKSPACE", externalId: "default", teamId: a.teamB.id } });
    const today = utcDay(new Date());
    for (let i = 3; i >= 0; i--) {
      anthropicDays.set(addDays(today, -i).toISOString().slice(0, 10), [
        { workspace_id: "wrkspc_support", api_key_id: "apikey_1", model: "claude-sonnet-4-20250514", uncached_input_tokens: 1000, cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 50 }, cache_read_input_tokens: 300, output_tokens: 400 },
        { workspace_id: null, api_key_id: null, model: "claude-sonnet-4-20250514", uncached_input_tokens: 10, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, cache_read_input_tokens: 5, output_tokens: 20 },
      ]);
    }
    signInAs(a.users.ADMIN.id, a.org.id);
    const c = await call(connectorsRoute.POST, "/api/v1/connectors", { method: "POST", body: { provider: "ANTHROPIC", name: "Claude", adminKey: ANTHROPIC_KEY, startDate: addDays(today, -3).toISOString().slice(0, 10) } });
    expect(c.json.keyHint).toBe("sk-ant-admin01-…wxyz");
    signOut();
    seen.length = 0;
    await HANDLERS[JOBS.syncConnectors]!({ orgId: a.org.id, connectorId: c.json.id, reason: "manual" });
    expect(seen.map((s) => s.status)).toEqual([200, 200]); // 4 days, 3 a page
    const rows = await usageRecords(a.org.id);
    const sum = (team: string) => rows.filter((r) => r.teamId === team && r.modelId === claude.id).reduce((s, r) => ({ input: s.input + r.inputTokens, output: s.output + r.outputTokens, cached: s.cached + r.cachedInputTokens }), { input: 0n, output: 0n, cached: 0n });
    // per day: input 1000 + 200 + 50 + 300 = 1550 (cached 300), output 400; default workspace 15 (cached 5), 20
    expect(sum(a.teamA.id)).toEqual({ input: 6200n, output: 1600n, cached: 1200n });
    expect(sum(a.teamB.id)).toEqual({ input: 60n, output: 80n, cached: 20n });
    const job = await prisma.jobRun.findFirstOrThrow({ where: { organizationId: a.org.id, name: JOBS.syncConnectors } });
    expect(job.status).toBe("SUCCEEDED");

    const before = { imports: await importCount(a.org.id), rows: await usageRecords(a.org.id), version: await usageVersion(a.org.id) };
    // the nightly run (no connector named) syncs every enabled connector of the org
    await HANDLERS[JOBS.syncConnectors]!({ orgId: a.org.id, reason: "schedule" });
    expect(await importCount(a.org.id)).toBe(before.imports);
    expect(await usageRecords(a.org.id)).toEqual(before.rows);
    expect(await usageVersion(a.org.id)).toBe(before.version);
    const runs = await prisma.connectorSyncRun.findMany({ where: { connectorId: c.json.id }, orderBy: { startedAt: "asc" } });
    expect(runs.map((r) => [r.trigger, r.status, r.daysChanged])).toEqual([["manual", "SUCCEEDED", 4], ["schedule", "SUCCEEDED", 0]]);
    await expectStorageConsistent(a.org.id);
  });
});

describe("GET /api/v1/usage totals by team", () => {
  it("carry cached input tokens and the reported cost, the same from the daily rows and the monthly read model, in the documented shape", async () => {
    const u = await makeOrg("usage-totals");
    const csv = [
      "date,team,provider,model,input_tokens,output_tokens,cached_input_tokens,requests,cost_usd",
      "2026-09-30,Support,OpenAI,gpt-4.1,1000,100,250,3,1.25",
      "2026-10-01,Support,OpenAI,gpt-4.1,2000,200,50,4,0.255",
      "2026-10-01,Support,OpenAI,gpt-4.1-mini,500,50,0,1,",
      "2026-10-02,Search,OpenAI,gpt-4.1-mini,400,40,100,2,",
    ].join("\n");
    const r = await importUsage(u.ctx("ADMIN"), { fileName: "t.csv", body: Readable.from([Buffer.from(csv)]), mode: "commit", onErrors: "reject" });
    expect(r.status).toBe("COMPLETED");
    signInAs(u.users.CFO.id, u.org.id);
    const read = async () => {
      const res = await call(usageRoute.GET, "/api/v1/usage?from=2026-09-01&to=2026-10-31&bucket=month&groupBy=team");
      expect(res.status).toBe(200);
      expect(() => api.usage.response.parse(res.json)).not.toThrow();
      return res.json.breakdown.map((b: Record<string, unknown>) => ({ key: b.key, cached: b.cachedInputTokens, reported: b.reportedCostUsd, input: b.inputTokens }));
    };
    // Support: cached 250 + 50, reported 1.25 + 0.255 (the mini row reported none) = 1.505 → 1.51 (cents, half up)
    const expected = [
      { key: "Support", cached: "300", reported: "1.51", input: "3500" },
      { key: "Search", cached: "100", reported: null, input: "400" },
    ];
    expect(await read()).toEqual(expected);
    await rollupUsage(u.org.id);
    expect(await read()).toEqual(expected);
    signOut();
  });
});

describe("OpenAPI document", () => {
  it("documents the connector routes (admin role, ADMIN scope for changes) and GET /api/v1/usage's response and errors", async () => {
    const doc = (await call(openapi.GET as never, "/api/v1/openapi.json")).json;
    for (const [path, method] of [["/api/v1/connectors", "get"], ["/api/v1/connectors", "post"], ["/api/v1/connectors/{id}", "patch"], ["/api/v1/connectors/{id}", "delete"], ["/api/v1/connectors/{id}/sync", "post"], ["/api/v1/connectors/{id}/runs", "get"]]) {
      const op = doc.paths[path][method];
      expect(op["x-roles"], `${method} ${path}`).toEqual(["ADMIN"]);
      expect(op["x-token-scopes"], `${method} ${path}`).toEqual(method === "get" ? ["READ", "ADMIN"] : ["ADMIN"]);
    }
    expect(Object.keys(doc.paths["/api/v1/connectors"].post.requestBody.content["application/json"].schema.properties).sort()).toEqual(["adminKey", "baseUrl", "name", "provider", "startDate"]);
    expect(doc.paths["/api/v1/connectors"].get.responses["200"].content["application/json"].schema.items.properties.adminKey).toBeUndefined();
    const usage = doc.paths["/api/v1/usage"].get.responses;
    const item = usage["200"].content["application/json"].schema.properties.breakdown.items.properties;
    expect(Object.keys(item)).toEqual(expect.arrayContaining(["cachedInputTokens", "reportedCostUsd", "listCostUsd", "inputTokens"]));
    expect(Object.keys(usage)).toEqual(expect.arrayContaining(["401", "403", "404", "422"]));
  });
});

describe("retry-after", () => {
  it("reads seconds or an HTTP date, capped at a minute", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs("3600")).toBe(60_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs("soon")).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });
});

