import { describe, expect, it } from "vitest";
import { detectFormat, flattenJsonExport, mapperFor, mapRecord, parseWhen, type FocusOptions } from "./usage-formats";


describe("detectFormat", () => {
  it("recognises each export from its header", () => {
    expect(detectFormat(["date", "team", "provider", "model", "input_tokens", "output_tokens"])).toBe("tokenhedge");
    expect(detectFormat(["ChargePeriodStart", "ChargePeriodEnd", "ProviderName", "ConsumedQuantity", "ConsumedUnit", "BilledCost"])).toBe("focus");
    expect(detectFormat(["start_time", "end_time", "model", "project_id", "input_tokens", "output_tokens", "num_model_requests"])).toBe("openai");
    expect(detectFormat(["starting_at", "ending_at", "model", "workspace_id", "uncached_input_tokens", "output_tokens"])).toBe("anthropic");
    expect(detectFormat(["\uFEFFdate", "team", "provider", "model", "input_tokens", "output_tokens"])).toBe("tokenhedge");
    expect(detectFormat(["a", "b"])).toBeNull();
  });
});

describe("parseWhen", () => {
  it("treats dates and midnight timestamps as daily, other timestamps as hourly truncated to the hour", () => {
    expect(parseWhen("2026-03-01")).toEqual({ at: new Date("2026-03-01T00:00:00Z"), granularity: "DAY" });
    expect(parseWhen("2026-03-01T00:00:00Z")?.granularity).toBe("DAY");
    expect(parseWhen("2026-03-01T13:45:10Z")).toEqual({ at: new Date("2026-03-01T13:00:00Z"), granularity: "HOUR" });
    expect(parseWhen("2026-03-01T13:00:00+02:00")?.at.toISOString()).toBe("2026-03-01T11:00:00.000Z");
    expect(parseWhen("1772323200")?.at.toISOString()).toBe("2026-03-01T00:00:00.000Z");
  });
  it("rejects impossible dates", () => {
    expect(parseWhen("2026-02-30")).toBeNull();
    expect(parseWhen("yesterday")).toBeNull();
  });
});

describe("tokenhedge rows", () => {
  const map = (rec: Record<string, string>, line: number) => mapRecord("tokenhedge", rec, line);
  it("maps a valid row with optional columns", () => {
    const r = map({ date: "2026-01-05", team: "Support", provider: "OpenAI", model: "gpt-4.1", input_tokens: "1000", output_tokens: "200", cached_input_tokens: "", requests: "3", cost_usd: "0.0036" }, 2);
    expect(r).toEqual({
      ok: true,
      row: { line: 2, periodStart: new Date("2026-01-05T00:00:00Z"), granularity: "DAY", team: { source: "NAME", value: "Support" }, provider: "OpenAI", model: "gpt-4.1", inputTokens: 1000, outputTokens: 200, cachedInputTokens: 0, requests: 3, costUsd: "0.0036" },
    });
  });
  it("reports every bad column with line, column and reason", () => {
    const r = map({ date: "05/01/2026", team: "", provider: "OpenAI", model: "gpt-4.1", input_tokens: "-5", output_tokens: "1e3" }, 7);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { line: 7, column: "date", reason: 'unknown date "05/01/2026"' },
      { line: 7, column: "team", reason: "missing team" },
      { line: 7, column: "input_tokens", reason: "negative value -5" },
      { line: 7, column: "output_tokens", reason: 'not a whole number: "1e3"' },
    ]);
  });
});

describe("one mapper over many rows", () => {
  it("keeps each row's errors to that row", () => {
    const map = mapperFor("tokenhedge", ["date", "team", "provider", "model", "input_tokens", "output_tokens"]);
    const bad = map(["2026-01-05", "", "OpenAI", "gpt-4.1", "-1", "1"], 2);
    const good = map(["2026-01-05", "Support", "OpenAI", "gpt-4.1", "1", "1"], 3);
    const bad2 = map(["2026-01-05", "Support", "OpenAI", "gpt-4.1", "x", "1"], 4);
    expect(good.ok).toBe(true);
    expect(!bad.ok && bad.errors).toEqual([
      { line: 2, column: "team", reason: "missing team" },
      { line: 2, column: "input_tokens", reason: "negative value -1" },
    ]);
    expect(!bad2.ok && bad2.errors).toEqual([{ line: 4, column: "input_tokens", reason: 'not a whole number: "x"' }]);
  });
});

describe("FOCUS rows", () => {
  const focus: FocusOptions = { teamColumn: "SubAccountName", teamTag: "team", costColumn: "BilledCost" };
  const map = (rec: Record<string, string>, line: number) => mapRecord("focus", rec, line, focus);
  it("puts output-token quantities in outputTokens and takes the team from the tag", () => {
    const r = map({ ChargePeriodStart: "2026-01-05T00:00:00Z", ChargePeriodEnd: "2026-01-06T00:00:00Z", ProviderName: "Microsoft", ResourceName: "gpt-4o", ConsumedQuantity: "5000", ConsumedUnit: "Output Tokens", BilledCost: "0.05", Tags: '{"team":"Search"}', SubAccountName: "sub-1" }, 3);
    expect(r.ok && r.row).toMatchObject({ team: { source: "FOCUS_TAG", value: "Search" }, outputTokens: 5000, inputTokens: 0, costUsd: "0.05", granularity: "DAY" });
  });
  it("rejects non-token units", () => {
    const r = map({ ChargePeriodStart: "2026-01-05", ProviderName: "X", ResourceName: "m", ConsumedQuantity: "1", ConsumedUnit: "Hours", SubAccountName: "a" }, 4);
    expect(r.ok).toBe(false);
  });
});

describe("provider JSON exports", () => {
  it("flattens OpenAI buckets and maps hourly buckets from end_time", () => {
    const flat = flattenJsonExport({ data: [{ start_time: 1772323200, end_time: 1772326800, results: [{ model: "gpt-4.1", project_id: "proj_a", input_tokens: 10, output_tokens: 2, input_cached_tokens: 4, num_model_requests: 1 }] }] });
    expect(flat).toHaveLength(1);
    const r = mapRecord("openai", flat[0], 1);
    expect(r.ok && r.row).toMatchObject({ granularity: "HOUR", team: { source: "OPENAI_PROJECT", value: "proj_a" }, inputTokens: 10, cachedInputTokens: 4, requests: 1 });
  });
  it("sums Anthropic uncached, cache-creation and cache-read input tokens", () => {
    const flat = flattenJsonExport({ data: [{ starting_at: "2026-03-01T00:00:00Z", ending_at: "2026-03-02T00:00:00Z", results: [{ model: "claude-sonnet-4", workspace_id: "w1", uncached_input_tokens: 100, cache_creation: { ephemeral_5m_input_tokens: 20, ephemeral_1h_input_tokens: 5 }, cache_read_input_tokens: 50, output_tokens: 30 }] }] });
    const r = mapRecord("anthropic", flat[0], 1);
    expect(r.ok && r.row).toMatchObject({ inputTokens: 175, cachedInputTokens: 50, outputTokens: 30, granularity: "DAY" });
  });
  it("rejects a document without a data array", () => {
    expect(() => flattenJsonExport({ foo: 1 })).toThrow(/data/);
  });
});
