import { describe, expect, it } from "vitest";
import { accuracyInWords, auditSummary, bucketCoverage, fmtCount, fmtDuration, jobRunSummary, plural, policyChanges } from "./summaries";

describe("counts and durations", () => {
  it("separates thousands and says 1 row, not 1 rows", () => {
    expect(fmtCount(604800)).toBe("604,800");
    expect(fmtCount(12n)).toBe("12");
    expect(plural(1, "row")).toBe("1 row");
    expect(plural(7000, "point")).toBe("7,000 points");
    expect(plural(2, "class", "classes")).toBe("2 classes");
  });
  it("durations in seconds, minutes past one", () => {
    expect(fmtDuration(4213)).toBe("4.2 s");
    expect(fmtDuration(312)).toBe("0.31 s");
    expect(fmtDuration(125_000)).toBe("2 min 5 s");
  });
});

describe("job run summaries", () => {
  it("says what a forecast run did, for which org, in how long", () => {
    const s = jobRunSummary({
      name: "forecasts.run", orgName: "Acme", status: "SUCCEEDED", durationMs: 4213, error: null,
      details: { asOf: "2026-11-28", lastObservedDay: "2026-11-27", horizonDays: 90, series: 28, adjusted: 3 },
    });
    expect(s).toBe("forecasts.run for Acme: 28 forecasts 90 days ahead, data through 2026-11-27, 3 adjusted for planner events in 4.2 s");
  });
  it("sums curve points and exclusions; a failure shows its error", () => {
    const curves = [
      { modelClass: "General chat", points: 12, flagged: 2, excludedQuotes: 1, spotBasis: "LIST_INDEX" },
      { modelClass: "Embedding", points: 12, flagged: 0, excludedQuotes: 0, spotBasis: null },
    ];
    expect(jobRunSummary({ name: "curves.rebuild", orgName: "Acme", status: "SUCCEEDED", durationMs: 800, error: null, details: { asOf: "2026-11-28", curves } }))
      .toBe("curves.rebuild for Acme: 2 curves as of 2026-11-28, 24 points, 2 flagged, 1 quote excluded as outliers in 0.80 s");
    expect(jobRunSummary({ name: "marks.daily", orgName: null, status: "FAILED", durationMs: 1500, error: "no curve", details: {} }))
      .toBe("marks.daily failed after 1.5 s: no curve");
    expect(jobRunSummary({ name: "curves.rebuild", orgName: null, status: "SUCCEEDED", durationMs: 20, error: null, details: { queuedOrgs: 1 } }))
      .toBe("curves.rebuild: queued for 1 organization in 0.02 s");
  });
  it("marks show money as an exact string with separators; unknown jobs fall back to key/value pairs", () => {
    expect(jobRunSummary({ name: "marks.daily", orgName: "Acme", status: "SUCCEEDED", durationMs: 2000, error: null, details: { asOf: "2026-11-28", ratePct: "4", marked: 5, valueUsd: "1234567.5", skipped: [] } }))
      .toBe("marks.daily for Acme: 5 contracts marked as of 2026-11-28, value $1,234,567.50, discount rate 4% in 2.0 s");
    expect(jobRunSummary({ name: "x.new", orgName: null, status: "SUCCEEDED", durationMs: null, error: null, details: { rows: 1200, note: "ok", list: [1, 2] } }))
      .toBe("x.new: rows 1,200, note ok, list 2");
  });
});

describe("audit summaries", () => {
  const names = (id: unknown) => ({ c1: "General chat", t1: "Legal Ops", m1: "OpenAI gpt-4.1" })[id as string] ?? null;
  it("names the actor and the change in a hedge policy's bands", () => {
    const before = { bands: [{ fromMonth: 1, toMonth: 3, minPct: 70, maxPct: 90 }, { fromMonth: 4, toMonth: 6, minPct: 40, maxPct: 60 }], lotTokens: "1000000000", maxTenorMonths: 12 };
    const after = { bands: [{ fromMonth: 1, toMonth: 3, minPct: 75, maxPct: 90 }, { fromMonth: 4, toMonth: 6, minPct: 40, maxPct: 60 }], lotTokens: "2000000000", maxTenorMonths: 12 };
    expect(auditSummary({ action: "hedgePolicy.updated", entity: "HedgePolicy", entityId: "p1", data: { actor: "Carla CFO", modelClassId: null, before, after } }, names))
      .toBe("Carla CFO changed hedge policy (all classes): band months 1–3: 70–90% → 75–90%; lot 1B tokens → 2B tokens");
    expect(policyChanges(null, { bands: [{ fromMonth: 1, toMonth: 3, minPct: 70, maxPct: 90 }] })).toEqual(["band months 1–3: 70–90%"]);
    expect(auditSummary({ action: "hedgePolicy.created", entity: "HedgePolicy", entityId: "p2", data: { actor: "Ada Admin", modelClassId: "c1", before: null, after: { bands: [{ fromMonth: 1, toMonth: 3, minPct: 70, maxPct: 90 }] } } }, names))
      .toBe("Ada Admin set hedge policy (General chat): band months 1–3: 70–90%");
  });
  it("resolves ids to names and flattens settings changes", () => {
    expect(auditSummary({ action: "user.created", entity: "User", entityId: "u1", data: { actor: "Ada Admin", email: "rita@x.test", role: "TEAM_LEAD", teamId: "t1" } }, names))
      .toBe("Ada Admin added user rita@x.test as team lead of Legal Ops");
    expect(auditSummary({ action: "org.settingsUpdated", entity: "Organization", entityId: "o1", data: { actor: "Ada Admin", change: { importErrorThresholdPct: 5, focus: { costColumn: "BilledCost", teamTag: "team" } }, previous: { importErrorThresholdPct: 5, focus: { costColumn: "EffectiveCost", teamTag: "team" } } } }))
      .toBe("Ada Admin changed settings: focus.costColumn EffectiveCost → BilledCost");
    expect(auditSummary({ action: "usage.imported", entity: "Import", entityId: "i1", data: { actor: "Paul Procurement", fileName: "may.csv", rowsAccepted: 1200, rowsRejected: 1, rowsReplaced: 0 } }))
      .toBe('Paul Procurement imported 1,200 usage rows from "may.csv", 1 invalid row skipped');
    expect(auditSummary({ action: "thing.done", entity: "Thing", entityId: null, data: { actor: "Bot", n: 3 } })).toBe("Bot thing.done on Thing (n 3)");
  });
});

describe("forecast accuracy in words", () => {
  it("turns the ratio of MASEs into better/worse than repeating last week, and the band hit rate into days in 10", () => {
    const better = accuracyInWords({ mase: 2.49, baselineMase: 3.32, coverage: 0.78, horizon: 90, origins: 3 });
    expect(better.verdict).toBe("better");
    expect(better.skill).toBe("25% better than repeating last week's numbers (its errors were 25% smaller).");
    expect(better.band).toBe("The actual day fell inside the P10–P90 range 78% of the time (about 8 days in 10), close to the 80% it aims for.");
    const worse = accuracyInWords({ mase: 1.2, baselineMase: 1.0, coverage: 0.55, horizon: 90, origins: 3 });
    expect(worse.skill).toMatch(/^20% worse than repeating last week/);
    expect(worse.band).toMatch(/less often than the 80% it aims for/);
  });
});

describe("partial buckets in the explorer", () => {
  it("marks a Monday week or a month cut by the range, not a whole one", () => {
    // 2024-05-27 is a Monday; the range starts on Thursday the 30th
    expect(bucketCoverage("2024-05-27", "week", "2024-05-30", "2024-07-31")).toEqual({ partial: true, days: 4, totalDays: 7 });
    expect(bucketCoverage("2024-06-03", "week", "2024-05-30", "2024-07-31")).toEqual({ partial: false, days: 7, totalDays: 7 });
    expect(bucketCoverage("2024-07-29", "week", "2024-05-30", "2024-07-31")).toEqual({ partial: true, days: 3, totalDays: 7 });
    expect(bucketCoverage("2024-02-01", "month", "2024-02-01", "2024-02-29")).toEqual({ partial: false, days: 29, totalDays: 29 });
    expect(bucketCoverage("2024-02-01", "month", "2024-02-10", "")).toEqual({ partial: true, days: 20, totalDays: 29 });
    expect(bucketCoverage("2024-02-05", "day", "2024-02-01", "2024-02-29").partial).toBe(false);
  });
});
