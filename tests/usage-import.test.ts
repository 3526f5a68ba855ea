import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db/client";
import { importUsage } from "@/lib/services/usage-import";
import { addClaude, makeOrg, type TestOrg } from "./fixtures";
import { expectStorageConsistent, usageCount, usageRecords } from "./usage-db";
import { call, signInAs } from "./route";
import * as imports from "@/app/api/v1/usage/imports/route";
import * as errorsRoute from "@/app/api/v1/usage/imports/[id]/errors/route";
import * as progressRoute from "@/app/api/v1/usage/imports/progress/[uploadId]/route";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));
vi.mock("@/lib/jobs/queue", async (o) => ({ ...(await o<object>()), enqueueAfterImport: async () => undefined }));

const fixture = (f: string) => readFileSync(`tests/fixtures/usage/${f}`);
const body = (s: string | Buffer) => Readable.from([Buffer.from(s)]);
let o: TestOrg;
let other: TestOrg;

beforeAll(async () => {
  o = await makeOrg("imp");
  other = await makeOrg("imp-other");
  await addClaude(o, "claude-sonnet-4-20250514");
  await prisma.modelAlias.create({ data: { organizationId: o.org.id, alias: "gpt-4.1-2025-04-14", modelId: o.gpt.id } });
  await prisma.teamMapping.create({ data: { organizationId: o.org.id, source: "OPENAI_PROJECT", externalId: "proj_support", teamId: o.teamA.id } });
  await prisma.teamMapping.create({ data: { organizationId: o.org.id, source: "ANTHROPIC_WORKSPACE", externalId: "wrkspc_support", teamId: o.teamA.id } });
  await prisma.teamMapping.create({ data: { organizationId: o.org.id, source: "FOCUS_TAG", externalId: "sub-search", teamId: o.teamB.id } });
});

async function totals(orgId: string) {
  const rows = await usageRecords(orgId);
  return { input: rows.reduce((a, r) => a + r.inputTokens, 0n), output: rows.reduce((a, r) => a + r.outputTokens, 0n) };
}

describe("formats (fixtures)", () => {
  it.each([
    ["tokenhedge.csv", "tokenhedge", 4, 4],
    ["focus.csv", "focus", 3, 2],
    ["openai.json", "openai", 2, 2],
    ["openai.csv", "openai", 1, 1],
    ["anthropic.csv", "anthropic", 1, 1],
    ["anthropic.json", "anthropic", 1, 1],
  ])("%s is detected as %s and validates cleanly", async (file, format, rows) => {
    const r = await importUsage(o.ctx("ADMIN"), { fileName: file, body: body(fixture(file)), mode: "validate", onErrors: "reject" });
    expect(r).toMatchObject({ status: "VALID", format, rowsTotal: rows, rowsRejected: 0 });
  });

  it("FOCUS input and output rows of the same day are combined into one record", async () => {
    const fresh = await makeOrg("focus");
    await prisma.teamMapping.create({ data: { organizationId: fresh.org.id, source: "FOCUS_TAG", externalId: "sub-search", teamId: fresh.teamB.id } });
    const r = await importUsage(fresh.ctx("ADMIN"), { fileName: "focus.csv", body: body(fixture("focus.csv")), mode: "commit", onErrors: "reject" });
    expect(r.status).toBe("COMPLETED");
    const recs = (await usageRecords(fresh.org.id)).filter((x) => x.teamId === fresh.teamA.id);
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ inputTokens: 2000000n, outputTokens: 300000n, granularity: "DAY" });
    expect(recs[0].costUsd?.toString()).toBe("6.4");
    await expectStorageConsistent(fresh.org.id);
  });

  it("Anthropic: cache reads and writes count as input, cache reads as cached", async () => {
    const fresh = await makeOrg("anth");
    const m = await addClaude(fresh, "anthropic/claude-sonnet-4-20250514");
    await prisma.teamMapping.create({ data: { organizationId: fresh.org.id, source: "ANTHROPIC_WORKSPACE", externalId: "wrkspc_support", teamId: fresh.teamB.id } });
    const r = await importUsage(fresh.ctx("ADMIN"), { fileName: "a.json", body: body(fixture("anthropic.json")), mode: "commit", onErrors: "reject" });
    expect(r.status).toBe("COMPLETED");
    const [rec] = await usageRecords(fresh.org.id);
    expect(rec).toMatchObject({ teamId: fresh.teamB.id, modelId: m.id, inputTokens: 600000n, cachedInputTokens: 150000n, outputTokens: 70000n });
    await expectStorageConsistent(fresh.org.id);
  });
});

describe("team from API key or project", () => {
  it("an API-key mapping wins over its project's; an unmapped key falls back to the project; neither is an unknown team", async () => {
    const t = await makeOrg("keys");
    await prisma.teamMapping.create({ data: { organizationId: t.org.id, source: "OPENAI_PROJECT", externalId: "proj_support", teamId: t.teamA.id } });
    await prisma.teamMapping.create({ data: { organizationId: t.org.id, source: "OPENAI_API_KEY", externalId: "key_search_bot", teamId: t.teamB.id } });
    const v = await importUsage(t.ctx("ADMIN"), { fileName: "k.csv", body: body(fixture("openai-by-key.csv")), mode: "validate", onErrors: "import-valid" });
    expect(v.errors).toEqual([{ line: 5, column: "team", reason: 'unknown team "key_nobody" (OPENAI_API_KEY)' }]);
    expect(v.unknownTeams).toEqual([{ source: "OPENAI_API_KEY", value: "key_nobody", rows: 1 }]);
    expect(v.status).toBe("REJECTED"); // 1 of 4 rows is over the default 5% threshold
    await prisma.teamMapping.create({ data: { organizationId: t.org.id, source: "OPENAI_API_KEY", externalId: "key_nobody", teamId: t.teamA.id } });
    const ok = await importUsage(t.ctx("ADMIN"), { fileName: "k.csv", body: body(fixture("openai-by-key.csv")), mode: "commit", onErrors: "reject" });
    expect(ok.status).toBe("COMPLETED");
    const byTeam = (await usageRecords(t.org.id)).map((x) => [x.teamId === t.teamA.id ? "A" : "B", Number(x.inputTokens)]);
    expect(byTeam.sort()).toEqual([["A", 2000], ["A", 4000], ["B", 1000], ["B", 3000]]);
  });

  it("Anthropic rows of the default workspace map by API key", async () => {
    const t = await makeOrg("akeys");
    const m = await addClaude(t, "claude-sonnet-4-20250514");
    await prisma.teamMapping.create({ data: { organizationId: t.org.id, source: "ANTHROPIC_API_KEY", externalId: "apikey_support", teamId: t.teamA.id } });
    const r = await importUsage(t.ctx("ADMIN"), { fileName: "a.csv", body: body(fixture("anthropic-by-key.csv")), mode: "commit", onErrors: "reject" });
    expect(r.status).toBe("COMPLETED");
    expect(await usageRecords(t.org.id)).toMatchObject([{ teamId: t.teamA.id, modelId: m.id, inputTokens: 100n }]);
  });
});

describe("idempotency and replacement", () => {
  it("re-uploading the same file is a no-op that says so", async () => {
    const first = await importUsage(o.ctx("ADMIN"), { fileName: "t.csv", body: body(fixture("tokenhedge.csv")), mode: "commit", onErrors: "reject" });
    expect(first).toMatchObject({ status: "COMPLETED", rowsAccepted: 4, rowsReplaced: 0 });
    const before = await totals(o.org.id);
    const again = await importUsage(o.ctx("ADMIN"), { fileName: "t-again.csv", body: body(fixture("tokenhedge.csv")), mode: "commit", onErrors: "reject" });
    expect(again.status).toBe("DUPLICATE");
    expect(again.duplicateOf).toBe(first.importId);
    expect(again.message).toMatch(/already imported/);
    expect(await totals(o.org.id)).toEqual(before);
  });

  it("the same file imports again once rows it skipped have become valid (a team added), and only then", async () => {
    const t = await makeOrg("reimport-after-mapping");
    // 25 valid rows and one for a team the org does not have yet (under the 5% error threshold)
    const support = Array.from({ length: 25 }, (_, i) => `2026-05-${String(i + 1).padStart(2, "0")},Support,OpenAI,gpt-4.1,4,1`);
    const csv = ["date,team,provider,model,input_tokens,output_tokens", ...support, "2026-05-01,Research,OpenAI,gpt-4.1,200,20"].join("\n");
    const first = await importUsage(t.ctx("ADMIN"), { fileName: "r.csv", body: body(csv), mode: "commit", onErrors: "import-valid" });
    expect(first).toMatchObject({ status: "COMPLETED", rowsAccepted: 25 });
    expect((await importUsage(t.ctx("ADMIN"), { fileName: "r.csv", body: body(csv), mode: "commit", onErrors: "import-valid" })).status).toBe("DUPLICATE");
    await prisma.team.create({ data: { organizationId: t.org.id, name: "Research" } });
    const second = await importUsage(t.ctx("ADMIN"), { fileName: "r.csv", body: body(csv), mode: "commit", onErrors: "import-valid" });
    expect(second).toMatchObject({ status: "COMPLETED", rowsAccepted: 26, rowsReplaced: 25 });
    expect(await totals(t.org.id)).toEqual({ input: 300n, output: 45n });
    expect((await importUsage(t.ctx("ADMIN"), { fileName: "r.csv", body: body(csv), mode: "commit", onErrors: "import-valid" })).status).toBe("DUPLICATE");
  });

  it("a newer file replaces older rows for the same team × model × period and reports it", async () => {
    const before = await usageCount(o.org.id);
    const csv = "date,team,provider,model,input_tokens,output_tokens\n2026-03-01,Support,OpenAI,gpt-4.1,999,99\n2026-03-09,Support,OpenAI,gpt-4.1,5,1\n";
    const r = await importUsage(o.ctx("PROCUREMENT"), { fileName: "newer.csv", body: body(csv), mode: "commit", onErrors: "reject" });
    expect(r).toMatchObject({ status: "COMPLETED", rowsAccepted: 2, rowsReplaced: 1 });
    expect(await usageCount(o.org.id)).toBe(before + 1);
    const rec = (await usageRecords(o.org.id)).find((x) => x.teamId === o.teamA.id && x.modelId === o.gpt.id && x.periodStart.getTime() === Date.UTC(2026, 2, 1));
    expect(rec?.inputTokens).toBe(999n);
    expect(rec?.importId).toBe(r.importId);
    await expectStorageConsistent(o.org.id);
  });
});

describe("validation", () => {
  it("reports each bad row with line, column and reason, and unknown models separately", async () => {
    const r = await importUsage(o.ctx("ADMIN"), { fileName: "bad.csv", body: body(fixture("bad-rows.csv")), mode: "validate", onErrors: "import-valid" });
    expect(r.rowsTotal).toBe(6);
    expect(r.rowsRejected).toBe(5);
    expect(r.errors).toEqual(expect.arrayContaining([
      { line: 3, column: "date", reason: 'unknown date "2026-13-01"' },
      { line: 4, column: "team", reason: "missing team" },
      { line: 5, column: "input_tokens", reason: "negative value -5" },
      { line: 6, column: "input_tokens", reason: 'not a whole number: "abc"' },
    ]));
    expect(r.unknownModels).toEqual([{ provider: "OpenAI", model: "gpt-9-ultra", rows: 1 }]);
    // 5 of 6 invalid is over the 5% threshold: the file is rejected whole even with "import valid rows"
    expect(r.status).toBe("REJECTED");
  });

  it("validate mode writes nothing; a rejected commit writes no usage but records the rejection", async () => {
    const before = await usageCount(o.org.id);
    const r = await importUsage(o.ctx("ADMIN"), { fileName: "bad.csv", body: body(fixture("bad-rows.csv")), mode: "commit", onErrors: "reject" });
    expect(r.status).toBe("REJECTED");
    expect(await usageCount(o.org.id)).toBe(before);
    const rec = await prisma.import.findUniqueOrThrow({ where: { id: r.importId! } });
    expect(rec.status).toBe("REJECTED");
  });

  it("import-valid imports the good rows when errors are under the threshold", async () => {
    const lines = ["date,team,provider,model,input_tokens,output_tokens"];
    for (let d = 1; d <= 28; d++) lines.push(`2026-04-${String(d).padStart(2, "0")},Search,OpenAI,gpt-4.1-mini,${1000 + d},10`);
    lines.push("2026-04-29,Search,OpenAI,gpt-4.1-mini,-1,10");
    const r = await importUsage(o.ctx("ADMIN"), { fileName: "mostly-good.csv", body: body(lines.join("\n")), mode: "commit", onErrors: "import-valid" });
    expect(r).toMatchObject({ status: "COMPLETED", rowsAccepted: 28, rowsRejected: 1 });
  });

  it("rejects an unknown header with the expected formats", async () => {
    await expect(importUsage(o.ctx("ADMIN"), { fileName: "x.csv", body: body("foo,bar\n1,2\n"), mode: "commit", onErrors: "reject" })).rejects.toThrow(/Unrecognised header/);
  });
});

describe("atomicity", () => {
  it("a failure mid-file (stream dies after many rows) leaves no rows and no import", async () => {
    const fresh = await makeOrg("crash");
    async function* dying() {
      yield Buffer.from("date,team,provider,model,input_tokens,output_tokens\n");
      for (let i = 0; i < 200; i++) {
        let chunk = "";
        for (let j = 0; j < 100; j++) chunk += `2025-0${1 + (i % 9)}-${String(1 + (j % 28)).padStart(2, "0")},Support,OpenAI,gpt-4.1,${i * 100 + j},1\n`;
        yield Buffer.from(chunk);
      }
      throw new Error("connection reset by client");
    }
    await expect(importUsage(fresh.ctx("ADMIN"), { fileName: "dies.csv", body: Readable.from(dying()), mode: "commit", onErrors: "reject" })).rejects.toThrow(/connection reset/);
    expect(await usageCount(fresh.org.id)).toBe(0);
    expect(await prisma.import.count({ where: { organizationId: fresh.org.id } })).toBe(0);
  });
});

describe("progress", () => {
  it("reports rows processed while the file streams, to the uploader's org only, and clears it at the end", async () => {
    const uploadId = "6f1c7a52-8f0e-4b7e-9a5e-0d1c2b3a4f5e";
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* slow() {
      yield Buffer.from("date,team,provider,model,input_tokens,output_tokens\n");
      let chunk = "";
      for (let i = 0; i < 60_000; i++) chunk += `2024-${String(1 + (i % 12)).padStart(2, "0")}-01T${String(i % 24).padStart(2, "0")}:00:00Z,Support,OpenAI,gpt-4.1,${i},1\n`;
      yield Buffer.from(chunk);
      await gate;
    }
    const running = importUsage(o.ctx("ADMIN"), { fileName: "slow.csv", body: Readable.from(slow()), mode: "validate", onErrors: "import-valid", uploadId });
    let seen = 0;
    for (let i = 0; i < 100 && seen < 50_000; i++) {
      await new Promise((r) => setTimeout(r, 50));
      seen = (await prisma.importProgress.findUnique({ where: { uploadId } }))?.rowsProcessed ?? 0;
    }
    expect(seen).toBeGreaterThanOrEqual(50_000);
    signInAs(other.users.ADMIN.id, other.org.id);
    expect((await call(progressRoute.GET, "/x", { params: { uploadId } })).status).toBe(404);
    signInAs(o.users.ADMIN.id, o.org.id);
    expect((await call(progressRoute.GET, "/x", { params: { uploadId } })).json.rowsProcessed).toBeGreaterThanOrEqual(50_000);
    release();
    await running;
    expect(await prisma.importProgress.count({ where: { uploadId } })).toBe(0);
  });
});

describe("HTTP route", () => {
  it("imports through POST /api/v1/usage/imports and serves the error report only to the same org", async () => {
    signInAs(o.users.PROCUREMENT.id, o.org.id);
    const csv = "date,team,provider,model,input_tokens,output_tokens\n2026-05-01,Support,OpenAI,gpt-4.1,10,1\n" + "2026-05-02,Nope,OpenAI,gpt-4.1,10,1\n".repeat(1);
    const r = await call(imports.POST, "/api/v1/usage/imports?fileName=h.csv&onErrors=reject", { method: "POST", raw: csv, headers: { "content-type": "text/csv" } });
    expect(r.status).toBe(201);
    expect(r.json.status).toBe("REJECTED");
    expect(r.json.unknownTeams).toEqual([{ source: "NAME", value: "Nope", rows: 1 }]);
    const rep = await call(errorsRoute.GET, "/x", { params: { id: r.json.importId } });
    expect(rep.status).toBe(200);
    expect(rep.text).toContain('3,team,"unknown team ""Nope"""');
    signInAs(other.users.ADMIN.id, other.org.id);
    expect((await call(errorsRoute.GET, "/x", { params: { id: r.json.importId } })).status).toBe(404);
    const hist = await call(imports.GET, "/api/v1/usage/imports");
    expect(hist.json.rows.find((x: { id: string }) => x.id === r.json.importId)).toBeUndefined();
  });

  it("team names resolve within the uploader's org only", async () => {
    signInAs(other.users.ADMIN.id, other.org.id);
    const r = await call(imports.POST, "/api/v1/usage/imports?fileName=o.csv&mode=validate", { method: "POST", raw: fixture("tokenhedge.csv").toString(), headers: { "content-type": "text/csv" } });
    expect(r.json.status).toBe("VALID");
    expect(await usageCount(other.org.id)).toBe(0);
  });

  it("random garbage never crashes the server: always a 4xx or a report with reasons", async () => {
    signInAs(o.users.ADMIN.id, o.org.id);
    const header = "date,team,provider,model,input_tokens,output_tokens\n";
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.string({ maxLength: 400 }), async (withHeader, junk) => {
        const r = await call(imports.POST, "/api/v1/usage/imports?fileName=f.csv&mode=validate", { method: "POST", raw: (withHeader ? header : "") + junk, headers: { "content-type": "text/csv" } });
        expect(r.status).toBeLessThan(500);
        if (r.status === 201) expect(["VALID", "REJECTED"]).toContain(r.json.status);
        else expect(r.json.error.message).toBeTruthy();
      }),
      { numRuns: 120 },
    );
  });
});

describe("storage semantics (property)", () => {
  const PERIODS = ["2026-03-01", "2026-03-02", "2026-03-01T05:00:00Z", "2026-03-01T06:30:00Z", "2026-03-01T23:00:00Z", "2026-03-02T00:10:00Z", "2026-02-28T12:00:00Z"];
  const hourOf = (p: string) => (p.length === 10 ? `${p}|DAY` : `${new Date(p).toISOString().slice(0, 13)}|HOUR`);
  const row = fc.record({
    team: fc.constantFrom("Support", "Search"),
    model: fc.constantFrom("gpt-4.1", "gpt-4.1-mini"),
    period: fc.constantFrom(...PERIODS),
    input: fc.integer({ min: 0, max: 1_000_000 }),
    output: fc.integer({ min: 0, max: 1000 }),
    cost: fc.option(fc.integer({ min: 0, max: 99_999 }).map((c) => (c / 1000).toFixed(3)), { nil: null }),
  });

  it("any sequence of overlapping files (Tokenhedge or FOCUS) leaves exactly the newest file's totals per key, with daily totals that match", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ focus: fc.boolean(), rows: fc.array(row, { minLength: 1, maxLength: 14 }) }), { minLength: 1, maxLength: 4 }), async (files) => {
        const t = await makeOrg("prop");
        const expected = new Map<string, { input: number; output: number }>();
        const seen = new Set<string>();
        for (const { focus, rows } of files) {
          // the same usage as Tokenhedge CSV, or as FOCUS with input and output on separate rows (the spooled path)
          const csv = focus
            ? "ChargePeriodStart,ChargePeriodEnd,ProviderName,SubAccountName,ResourceName,ConsumedQuantity,ConsumedUnit,EffectiveCost\n" +
              rows.flatMap((r) => {
                const start = r.period.length === 10 ? `${r.period}T00:00:00Z` : new Date(Math.floor(Date.parse(r.period) / 3_600_000) * 3_600_000).toISOString();
                const end = new Date(Date.parse(start) + (r.period.length === 10 ? 86_400_000 : 3_600_000)).toISOString();
                return [`${start},${end},OpenAI,${r.team},${r.model},${r.input},Input Tokens,${r.cost ?? ""}`, `${start},${end},OpenAI,${r.team},${r.model},${r.output},Output Tokens,`];
              }).join("\n")
            : "date,team,provider,model,input_tokens,output_tokens,cost_usd\n" + rows.map((r) => `${r.period},${r.team},OpenAI,${r.model},${r.input},${r.output},${r.cost ?? ""}`).join("\n");
          const res = await importUsage(t.ctx("PROCUREMENT"), { fileName: "p.csv", body: body(csv), mode: "commit", onErrors: "reject" });
          if (seen.has(csv)) {
            expect(res.status).toBe("DUPLICATE");
            continue;
          }
          seen.add(csv);
          const batch = new Map<string, { input: number; output: number }>();
          for (const r of rows) {
            const k = `${r.team}|${r.model}|${hourOf(r.period)}`;
            const a = batch.get(k) ?? { input: 0, output: 0 };
            batch.set(k, { input: a.input + r.input, output: a.output + r.output });
          }
          const replaced = [...batch.keys()].filter((k) => expected.has(k)).length;
          for (const [k, v] of batch) expected.set(k, v);
          expect(res).toMatchObject({ status: "COMPLETED", rowsAccepted: rows.length * (focus ? 2 : 1), rowsReplaced: replaced });
          await expectStorageConsistent(t.org.id);
        }
        const teams = new Map([[t.teamA.id, "Support"], [t.teamB.id, "Search"]]);
        const models = new Map([[t.gpt.id, "gpt-4.1"], [t.mini.id, "gpt-4.1-mini"]]);
        const stored = new Map(
          (await usageRecords(t.org.id)).map((r) => [
            `${teams.get(r.teamId)}|${models.get(r.modelId)}|${r.granularity === "DAY" ? r.periodStart.toISOString().slice(0, 10) : r.periodStart.toISOString().slice(0, 13)}|${r.granularity}`,
            { input: Number(r.inputTokens), output: Number(r.outputTokens) },
          ]),
        );
        expect(stored).toEqual(expected);
      }),
      { numRuns: 16 },
    );
  });
});
