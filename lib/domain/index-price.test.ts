import { describe, expect, it } from "vitest";
import { indexToJson, listBlendedIndex, listCostUsd } from "./index-price";

// gpt-4.1 at 2 / 8 with cached input at 0.5; claude-sonnet-4 at 3 / 15 with no cached rate (cached input at 3)
const gpt = { model: "gpt-4.1", tokens: { input: 1_000_000n, cachedInput: 200_000n, output: 250_000n }, price: { input: "2", cachedInput: "0.5", output: "8" } };
const sonnet = { model: "claude-sonnet-4", tokens: { input: 2_000_000n, cachedInput: 500_000n, output: 500_000n }, price: { input: "3", cachedInput: null, output: "15" } };

describe("listCostUsd", () => {
  it("charges uncached input, cached input (at the cached rate, else the input rate) and output at list", () => {
    // 0.8M × 2 + 0.2M × 0.5 + 0.25M × 8 = 1.6 + 0.1 + 2 = 3.7
    expect(listCostUsd(gpt.tokens, gpt.price).toString()).toBe("3.7");
    // 1.5M × 3 + 0.5M × 3 + 0.5M × 15 = 4.5 + 1.5 + 7.5 = 13.5
    expect(listCostUsd(sonnet.tokens, sonnet.price).toString()).toBe("13.5");
  });
  it("refuses impossible mixes", () => {
    expect(() => listCostUsd({ input: 10n, cachedInput: 11n, output: 0n }, gpt.price, "x")).toThrow(/cached input tokens \(11\) exceed input tokens \(10\)/);
    expect(() => listCostUsd({ input: -1n, cachedInput: 0n, output: 0n }, gpt.price, "x")).toThrow(/negative/);
  });
});

describe("listBlendedIndex", () => {
  it("is the class's list cost over its input + output tokens, per 1M (hand-computed)", () => {
    const ix = listBlendedIndex([gpt, sonnet])!;
    // (3.7 + 13.5) / (1.25M + 2.5M) × 1M = 17.2 / 3.75 = 4.58666…
    expect(ix.listCostUsd.toString()).toBe("17.2");
    expect(ix.totalTokens).toBe(3_750_000n);
    expect(ix.priceUsdPerMTokens.toDecimalPlaces(6).toString()).toBe("4.586667");
    // tokens × index gives back the list cost exactly
    expect(ix.priceUsdPerMTokens.mul(3.75).toDecimalPlaces(10).toString()).toBe("17.2");
    // mix: uncached input 2.3M, cached 0.7M, output 0.75M of 3.75M
    expect(ix.mix.input.toDecimalPlaces(6).toString()).toBe("0.613333");
    expect(ix.mix.cachedInput.toDecimalPlaces(6).toString()).toBe("0.186667");
    expect(ix.mix.output.toString()).toBe("0.2");
    expect(ix.weights.map((w) => [w.model, w.share.toDecimalPlaces(6).toString(), w.blendedUsdPerMTokens.toDecimalPlaces(6).toString()])).toEqual([
      ["claude-sonnet-4", "0.666667", "5.4"],
      ["gpt-4.1", "0.333333", "2.96"],
    ]);
  });

  it("differs from a 1:1 input/output blend by the mix alone (why the index uses the org's mix)", () => {
    // gpt-4.1 alone: the 1:1 list blend is (2 + 8) / 2 = 5, but this org's input-heavy mix pays 3.7 / 1.25 = 2.96 per 1M
    expect(listBlendedIndex([gpt])!.priceUsdPerMTokens.toString()).toBe("2.96");
  });

  it("leaves out models without a list price (reported) and models without tokens; null without priced usage", () => {
    const mistral = { model: "mistral-large", tokens: { input: 5_000_000n, cachedInput: 0n, output: 0n }, price: null };
    const idle = { model: "idle", tokens: { input: 0n, cachedInput: 0n, output: 0n }, price: { input: "100", cachedInput: null, output: "100" } };
    const ix = listBlendedIndex([gpt, mistral, idle])!;
    expect(ix.priceUsdPerMTokens.toString()).toBe("2.96");
    expect(ix.unpriced).toEqual(["mistral-large"]);
    expect(ix.weights.map((w) => w.model)).toEqual(["gpt-4.1"]);
    expect(listBlendedIndex([])).toBeNull();
    expect(listBlendedIndex([mistral, idle])).toBeNull();
  });

  it("accepts token counts as numbers or strings and a free cached rate of 0", () => {
    const ix = listBlendedIndex([{ model: "m", tokens: { input: "1000000", cachedInput: 1_000_000, output: 0 }, price: { input: "2", cachedInput: "0", output: "8" } }])!;
    expect(ix.priceUsdPerMTokens.toString()).toBe("0");
    expect(ix.mix.cachedInput.toString()).toBe("1");
  });

  it("serializes for storage with rounded strings", () => {
    const j = indexToJson(listBlendedIndex([gpt, sonnet])!, { days: 30, from: "2026-10-02", to: "2026-10-31" });
    expect(j).toMatchObject({ definition: "LIST_BLENDED_ORG_MIX", priceUsdPerMTokens: "4.586667", totalTokens: "3750000", listCostUsd: "17.200000", mix: { input: "0.613333", cachedInput: "0.186667", output: "0.2" }, windowDays: 30 });
    expect(j.weights[0]).toEqual({ model: "claude-sonnet-4", share: "0.666667", tokens: "2500000", blendedUsdPerMTokens: "5.400000" });
  });
});
