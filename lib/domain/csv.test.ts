import { describe, expect, it } from "vitest";
import { csvCell, csvLine, echo } from "./csv";

describe("csv cells", () => {
  it("neutralises formula-looking text but keeps numbers", () => {
    expect(csvCell("=HYPERLINK(\"x\")")).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell("+cmd")).toBe("'+cmd");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("-12.500000")).toBe("-12.500000");
    expect(csvCell("-x")).toBe("'-x");
    expect(csvLine(["a,b", null, 3n])).toBe(`"a,b",,3`);
  });
  it("caps echoed values", () => {
    expect(echo("x".repeat(10))).toBe("xxxxxxxxxx");
    expect(echo("y".repeat(10_000_000))).toHaveLength(200 + "… (10000000 characters)".length);
  });
});
