import { describe, expect, it } from "vitest";
import { closestName, editDistance } from "./closest";

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("search", "serch")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("abcdef", "uvwxyz", 2)).toBe(3);
  });
});

describe("closestName", () => {
  const teams = ["Support", "Search", "Data Platform"];
  it("finds a misspelling, a different case or spacing, and a name inside an id", () => {
    expect(closestName("Serch", teams)).toBe("Search");
    expect(closestName("data-platform", teams)).toBe("Data Platform");
    expect(closestName("Suport", teams)).toBe("Support");
    expect(closestName("proj_support", teams)).toBe("Support");
  });
  it("suggests nothing when nothing is close", () => {
    expect(closestName("Nope", teams)).toBeNull();
    expect(closestName("key_nobody", teams)).toBeNull();
    expect(closestName("", teams)).toBeNull();
    expect(closestName("Marketing", [])).toBeNull();
  });
});
