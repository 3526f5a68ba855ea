import { describe, expect, it } from "vitest";
import { cleanDays, dayBlocks, syncFile, SYNC_RUN_COLUMN } from "./day-files";
import { toRecord } from "./usage-api";

const rec = (day: string, ...cells: string[]) => ({ day, cells });

describe("connector day files", () => {
  it("groups by day with sorted lines, so the same usage hashes the same in any order", () => {
    const a = dayBlocks([rec("2026-10-02", "b", "2"), rec("2026-10-01", "x", "1"), rec("2026-10-02", "a", "1")]);
    const b = dayBlocks([rec("2026-10-02", "a", "1"), rec("2026-10-02", "b", "2"), rec("2026-10-01", "x", "1")]);
    expect(a.map((d) => [d.day, d.lines])).toEqual([["2026-10-01", ["x,1"]], ["2026-10-02", ["a,1", "b,2"]]]);
    expect(a.map((d) => d.hash)).toEqual(b.map((d) => d.hash));
    expect(dayBlocks([rec("2026-10-02", "a", "2")])[0].hash).not.toBe(a[1].hash);
  });

  it("builds the file from changed days only, with the run column, and maps lines back to days", () => {
    const blocks = dayBlocks([rec("2026-10-01", "x", "1"), rec("2026-10-02", "a", "1"), rec("2026-10-02", "b", "2")]);
    const unchanged = syncFile(["k", "v"], blocks, new Map(blocks.map((b) => [b.day, b.hash])), "run1");
    expect(unchanged).toEqual({ csv: null, changed: [], lineDays: [] });
    const f = syncFile(["k", "v"], blocks, new Map([["2026-10-01", blocks[0].hash]]), "run1");
    expect(f.csv).toBe(`k,v,${SYNC_RUN_COLUMN}\na,1,run1\nb,2,run1\n`);
    expect(f.lineDays).toEqual(["2026-10-02", "2026-10-02"]);
    // line 3 (b,2) rejected: its day is not clean; an error list cut short vouches for no day
    const g = syncFile(["k", "v"], blocks, new Map(), "run2");
    expect(cleanDays(g, [{ line: 3 }], 1)).toEqual(["2026-10-01"]);
    expect(cleanDays(g, [], 0)).toEqual(["2026-10-01", "2026-10-02"]);
    expect(cleanDays(g, [{ line: 3 }], 2)).toEqual([]);
  });

  it("writes provider results in the export columns (Anthropic's default workspace as \"default\")", () => {
    const s = new Date("2026-10-01T00:00:00Z");
    const e = new Date("2026-10-02T00:00:00Z");
    expect(toRecord("OPENAI", s, e, { project_id: "proj_1", api_key_id: null, model: "gpt-4.1", input_tokens: 10, output_tokens: 2, input_cached_tokens: 3, num_model_requests: 1 })).toEqual(
      ["2026-10-01T00:00:00.000Z", "2026-10-02T00:00:00.000Z", "proj_1", "", "gpt-4.1", "10", "2", "3", "1"],
    );
    expect(toRecord("ANTHROPIC", s, e, { workspace_id: null, api_key_id: "k", model: "claude", uncached_input_tokens: 5, cache_creation: { ephemeral_5m_input_tokens: 1, ephemeral_1h_input_tokens: 2 }, cache_read_input_tokens: 4, output_tokens: 6 })).toEqual(
      ["2026-10-01T00:00:00.000Z", "2026-10-02T00:00:00.000Z", "default", "k", "claude", "5", "1", "2", "4", "6"],
    );
  });
});
