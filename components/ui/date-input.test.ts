import { describe, expect, it } from "vitest";
import { isoDateOrEmpty } from "./date-input";

describe("isoDateOrEmpty", () => {
  it("takes whole calendar dates as YYYY-MM-DD, or nothing", () => {
    expect(isoDateOrEmpty("")).toBe(true);
    expect(isoDateOrEmpty("2026-11-28")).toBe(true);
    expect(isoDateOrEmpty("2024-02-29")).toBe(true);
  });
  it("refuses what a user types on the way, other formats and dates that do not exist", () => {
    for (const s of ["2026-1", "2026-11-2", "11/28/2026", "28.11.2026", "2026-02-30", "2025-02-29", "2026-13-01", "2026-11-28T00:00"]) expect(isoDateOrEmpty(s), s).toBe(false);
  });
});
