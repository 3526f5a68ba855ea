import { describe, expect, it } from "vitest";
import { focusTokenKind, kindInText } from "./token-kind";

describe("kindInText", () => {
  it.each([
    ["gpt41-global-input", "input"],
    ["gpt-4o-2024-08-06-output", "output"],
    ["GPT-4.1 mini input tokens", "input"],
    ["Prompt Tokens", "input"],
    ["1K Output Tokens", "output"],
    ["cached_input", "cached-input"],
    ["Cache read tokens", "cached-input"],
    ["cache write input tokens", "input"],
    ["Tokens", null],
    ["sku-in", null],
    ["sku-out", null],
    ["input-output", null],
    ["inputless", null],
    ["", null],
  ])("%s → %s", (text, kind) => {
    expect(kindInText(text)).toBe(kind);
  });
});

describe("focusTokenKind precedence: tag > SkuPriceId > SkuId > ConsumedUnit > ChargeDescription", () => {
  const all = { tag: "output", skuPriceId: "x-input", skuId: "x-input", consumedUnit: "Input Tokens", chargeDescription: "input tokens" };
  it("the tag wins over every column", () => {
    expect(focusTokenKind(all, "token_type")).toEqual({ ok: true, kind: "output", source: "Tags.token_type" });
  });
  it("then SkuPriceId, SkuId, ConsumedUnit, ChargeDescription in turn", () => {
    expect(focusTokenKind({ ...all, tag: undefined, skuPriceId: "p-output" }, "t")).toMatchObject({ kind: "output", source: "SkuPriceId" });
    expect(focusTokenKind({ ...all, tag: undefined, skuPriceId: "", skuId: "s-output" }, "t")).toMatchObject({ kind: "output", source: "SkuId" });
    expect(focusTokenKind({ ...all, tag: "", skuPriceId: "p", skuId: "s", consumedUnit: "Output Tokens" }, "t")).toMatchObject({ kind: "output", source: "ConsumedUnit" });
    expect(focusTokenKind({ skuId: "s", consumedUnit: "Tokens", chargeDescription: "Model X output tokens" }, "t")).toMatchObject({ kind: "output", source: "ChargeDescription" });
  });
  it("a source naming both kinds is skipped, not guessed", () => {
    expect(focusTokenKind({ skuId: "input-output", consumedUnit: "Output Tokens" }, "t")).toMatchObject({ kind: "output", source: "ConsumedUnit" });
  });
  it("nothing naming a kind is an error; so is a tag value that names none", () => {
    expect(focusTokenKind({ skuId: "gpt41", consumedUnit: "Tokens", chargeDescription: "usage" }, "token_type")).toEqual({
      ok: false,
      column: "ConsumedUnit",
      reason: "token kind (input or output) not found in Tags.token_type, SkuPriceId, SkuId, ConsumedUnit or ChargeDescription",
    });
    expect(focusTokenKind({ tag: "both", consumedUnit: "Input Tokens" }, "kind")).toEqual({ ok: false, column: "Tags", reason: 'Tags.kind "both" is not input, output or cached input' });
  });
});
