import { describe, expect, it } from "vitest";
import { fmtTokens, fmtUsd, fmtUsdCompact } from "./format";

describe("display formats", () => {
  it("money at the scale of a tile: three significant digits with a unit, whole dollars below a thousand", () => {
    expect(fmtUsdCompact("1287190.31")).toBe("$1.29M");
    expect(fmtUsdCompact("48210")).toBe("$48.2K");
    expect(fmtUsdCompact("999.5")).toBe("$1K");
    expect(fmtUsdCompact("999999")).toBe("$1M");
    expect(fmtUsdCompact("950.49")).toBe("$950");
    expect(fmtUsdCompact("-2500000")).toBe("-$2.5M");
    expect(fmtUsdCompact("3451025000000")).toBe("$3.45T");
    expect(fmtUsdCompact("1000")).toBe("$1K");
    expect(fmtUsdCompact(null)).toBe("—");
  });
  it("exact money with separators; tokens with units", () => {
    expect(fmtUsd("1287190.305")).toBe("$1,287,190.31");
    expect(fmtUsd("-4.9995", 2)).toBe("-$5.00");
    expect(fmtTokens(1_234_567_890n)).toBe("1.23B");
  });
});
