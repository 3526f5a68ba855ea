import { Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeOrg, type TestOrg } from "./fixtures";
import { prisma } from "@/lib/db/client";
import { audit } from "@/lib/services/audit";
import { cachedRead, clearReadCache, orgDataVersion, readCacheStats, withReadScope } from "@/lib/services/read-cache";
import { importUsage } from "@/lib/services/usage-import";
import { usageSeries } from "@/lib/services/usage";
import { bumpUsageVersion, rollupUsage } from "@/lib/services/usage-rollup";
import { logJobRun } from "@/lib/jobs/run";

let o: TestOrg;
const saved = process.env.READ_CACHE;

const csv = (rows: string[]) => Readable.from([Buffer.from(["date,team,provider,model,input_tokens,output_tokens", ...rows].join("\n"))]);

beforeAll(async () => {
  process.env.READ_CACHE = "on";
  o = await makeOrg("readcache");
});
afterAll(() => {
  process.env.READ_CACHE = saved;
});
beforeEach(() => clearReadCache());

/** A read whose computations are counted. */
function counted() {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    fn: async () => ({ n: ++calls }),
  };
}

describe("read cache", () => {
  it("computes once per data version; concurrent misses share one computation", async () => {
    const c = counted();
    const ctx = o.ctx("CFO");
    const first = await Promise.all(Array.from({ length: 20 }, () => cachedRead(ctx, "t", { a: 1 }, c.fn)));
    expect(c.calls).toBe(1);
    expect(new Set(first.map((x) => x.n))).toEqual(new Set([1]));
    expect(await cachedRead(ctx, "t", { a: 1 }, c.fn)).toEqual({ n: 1 });
    // other arguments, another name: their own entries
    await cachedRead(ctx, "t", { a: 2 }, c.fn);
    await cachedRead(ctx, "u", { a: 1 }, c.fn);
    expect(c.calls).toBe(3);
    expect(readCacheStats().hits).toBeGreaterThanOrEqual(20);
  });

  it("a read-only request looks the data version up once; outside one, every read sees the latest version", async () => {
    const c = counted();
    const ctx = o.ctx("CFO");
    const inScope = await withReadScope(async () => {
      const v1 = orgDataVersion(ctx.orgId);
      await audit(prisma, o.ctx("ADMIN"), "test.scope", "Team", o.teamA.id);
      // same request: the version it started with
      expect(await orgDataVersion(ctx.orgId)).toBe(await v1);
      return v1;
    });
    // the next request sees the change
    expect(await orgDataVersion(ctx.orgId)).not.toBe(await inScope);
    await cachedRead(ctx, "scope", null, c.fn);
    expect(c.calls).toBe(1);
  });

  it("never serves one role's or team's answer to another", async () => {
    const c = counted();
    const lead = await cachedRead(o.ctx("TEAM_LEAD"), "scoped", null, c.fn);
    const cfo = await cachedRead(o.ctx("CFO"), "scoped", null, c.fn);
    const proc = await cachedRead(o.ctx("PROCUREMENT"), "scoped", null, c.fn);
    expect([lead.n, cfo.n, proc.n]).toEqual([1, 2, 3]);
    const otherTeam = await cachedRead({ ...o.ctx("TEAM_LEAD"), teamId: o.teamB.id }, "scoped", null, c.fn);
    expect(otherTeam.n).toBe(4);
  });

  it("keeps no failure: the next read computes again", async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error("boom");
    };
    await expect(cachedRead(o.ctx("CFO"), "f", null, failing)).rejects.toThrow("boom");
    await expect(cachedRead(o.ctx("CFO"), "f", null, failing)).rejects.toThrow("boom");
    expect(calls).toBe(2);
  });

  it("turns over at the UTC day: answers that depend on today are not carried into tomorrow", async () => {
    const c = counted();
    await cachedRead(o.ctx("CFO"), "d", null, c.fn, new Date("2026-11-27T23:59:59Z"));
    await cachedRead(o.ctx("CFO"), "d", null, c.fn, new Date("2026-11-27T00:00:00Z"));
    await cachedRead(o.ctx("CFO"), "d", null, c.fn, new Date("2026-11-28T00:00:00Z"));
    expect(c.calls).toBe(2);
  });

  it("changes version with every kind of write the cached reads show", async () => {
    const v0 = await orgDataVersion(o.org.id);
    // an audited change (every user change writes one, in its own transaction)
    await audit(prisma, o.ctx("ADMIN"), "test.change", "Team", o.teamA.id);
    const v1 = await orgDataVersion(o.org.id);
    expect(v1).not.toBe(v0);
    // a job that finished (derived data: forecasts, curves, marks, settlements, recommendations)
    await logJobRun("test.job", o.org.id, async () => ({ ok: true }));
    const v2 = await orgDataVersion(o.org.id);
    expect(v2).not.toBe(v1);
    // an import (usage version, and the read models it keeps current in the same transaction)
    await importUsage(o.ctx("ADMIN"), { fileName: "a.csv", body: csv(["2026-09-01,Support,OpenAI,gpt-4.1,1000000,0"]), mode: "commit", onErrors: "reject" });
    const v3 = await orgDataVersion(o.org.id);
    expect(v3).not.toBe(v2);
    // a list price change (usage version) and the rollup that reprices (rolled version)
    await bumpUsageVersion(o.org.id);
    const v3b = await orgDataVersion(o.org.id);
    expect(v3b).not.toBe(v3);
    await rollupUsage(o.org.id);
    const v4 = await orgDataVersion(o.org.id);
    expect(v4).not.toBe(v3b);
    // another org's writes do not touch this org's version
    const other = await makeOrg("readcache-other");
    await audit(prisma, other.ctx("ADMIN"), "test.change", "Team", other.teamA.id);
    expect(await orgDataVersion(o.org.id)).toBe(v4);
  });

  it("a usage read after an import shows the import (through the real services)", async () => {
    const ctx = o.ctx("CFO");
    const range = { from: "2026-10-01", to: "2026-10-31" };
    const before = await usageSeries(ctx, range, "month");
    expect(await usageSeries(ctx, range, "month")).toBe(before); // the same cached value
    await importUsage(o.ctx("ADMIN"), { fileName: "b.csv", body: csv(["2026-10-02,Support,OpenAI,gpt-4.1,3000000,1000000"]), mode: "commit", onErrors: "reject" });
    const after = await usageSeries(ctx, range, "month");
    expect(after).not.toBe(before);
    const tokens = (rows: typeof after) => rows.reduce((s, r) => s + r.inputTokens, 0n);
    expect(tokens(after) - tokens(before)).toBe(3_000_000n);
    expect(after.at(-1)!.listCostUsd).not.toBe(before.at(-1)?.listCostUsd ?? "none");
  });
});
