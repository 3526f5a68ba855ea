import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { makeOrg } from "./fixtures";
import { prisma } from "@/lib/db/client";
import { importUsage } from "@/lib/services/usage-import";
import { usageSeries } from "@/lib/services/usage";
import { listCostOnDay } from "@/lib/domain/pricing";
import { sumDecimals } from "@/lib/domain/money";

describe("list cost: SQL aggregation equals the domain rule", () => {
  it("agrees day by day across a price change and cached input", async () => {
    const o = await makeOrg("pricing");
    // a price change on 2026-03-03 with a cached-input rate
    await prisma.modelPrice.create({ data: { organizationId: o.org.id, modelId: o.gpt.id, effectiveFrom: new Date("2026-03-03"), inputUsdPerMTokens: "1.5", outputUsdPerMTokens: "6", cachedInputUsdPerMTokens: "0.375" } });
    const rows = [
      ["2026-03-01", "Support", "gpt-4.1", 1_000_003, 200_001, 17],
      ["2026-03-02", "Search", "gpt-4.1-mini", 5_000_000, 500_000, 100_000],
      ["2026-03-03", "Support", "gpt-4.1", 1_100_000, 210_000, 300_000],
      ["2026-03-04", "Support", "gpt-4.1", 999_999, 1, 999_999],
    ] as const;
    const csv = ["date,team,provider,model,input_tokens,output_tokens,cached_input_tokens,requests,cost_usd", ...rows.map((r) => `${r[0]},${r[1]},OpenAI,${r[2]},${r[3]},${r[4]},${r[5]},1,`)].join("\n");
    await importUsage(o.ctx("ADMIN"), { fileName: "p.csv", body: Readable.from([Buffer.from(csv)]), mode: "commit", onErrors: "reject" });
    const prices = await prisma.modelPrice.findMany({ where: { organizationId: o.org.id } });
    const byModel = (id: string) => prices.filter((p) => p.modelId === id).map((p) => ({ ...p, inputUsdPerMTokens: p.inputUsdPerMTokens.toString(), outputUsdPerMTokens: p.outputUsdPerMTokens.toString(), cachedInputUsdPerMTokens: p.cachedInputUsdPerMTokens?.toString() ?? null }));
    const expected = rows.map((r) =>
      listCostOnDay({ inputTokens: BigInt(r[3]), outputTokens: BigInt(r[4]), cachedInputTokens: BigInt(r[5]) }, byModel(r[2] === "gpt-4.1" ? o.gpt.id : o.mini.id), new Date(`${r[0]}T00:00:00Z`))!,
    );
    const sql = await usageSeries(o.ctx("CFO"), { from: "2026-03-01", to: "2026-03-04" }, "day");
    expect(sql.map((s) => s.listCostUsd)).toEqual(expected.map((e) => e.toFixed(2)));
    const month = await usageSeries(o.ctx("CFO"), { from: "2026-03-01", to: "2026-03-31" }, "month");
    expect(month[0].listCostUsd).toBe(sumDecimals(expected).toFixed(2));
  });
});
