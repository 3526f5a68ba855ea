import { describe, expect, it } from "vitest";
import { DailyRollup } from "./usage-rollup";

const H = 3_600_000;
const d0 = Date.UTC(2026, 2, 1);

describe("DailyRollup", () => {
  it("totals hours into UTC days per series, cost exact in decimal", () => {
    const r = new DailyRollup();
    r.add(1, d0, 10, 1, 0, 1, "0.1");
    r.add(1, d0 + 23 * H, 5, 2, 1, 1, "0.2");
    r.add(1, d0 + 24 * H, 7, 0, 0, 0, null);
    r.add(2, d0, 1, 1, 1, 1, null);
    const rows = [...r.values()].map((t) => ({ ...t, day: t.day.toISOString().slice(0, 10), costUsd: t.costUsd?.toString() ?? null }));
    expect(rows).toEqual([
      { seriesId: 1, day: "2026-03-01", inputTokens: 15, outputTokens: 3, cachedInputTokens: 1, requests: 2, costUsd: "0.3", rows: 2, costRows: 2 },
      { seriesId: 1, day: "2026-03-02", inputTokens: 7, outputTokens: 0, cachedInputTokens: 0, requests: 0, costUsd: null, rows: 1, costRows: 0 },
      { seriesId: 2, day: "2026-03-01", inputTokens: 1, outputTokens: 1, cachedInputTokens: 1, requests: 1, costUsd: null, rows: 1, costRows: 0 },
    ]);
    expect(r.exact).toBe(true);
  });

  it("says when a token sum leaves the exact range of doubles", () => {
    const r = new DailyRollup();
    for (let h = 0; h < 10; h++) r.add(1, d0 + h * H, 1e15, 0, 0, 0, null);
    expect(r.exact).toBe(false);
  });
});
