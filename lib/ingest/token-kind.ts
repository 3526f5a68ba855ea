/**
 * Which kind of tokens a FOCUS charge row counts. FOCUS has one ConsumedQuantity per row, and providers put the
 * kind in different columns (Azure: SkuPriceId / SkuId "…-input" / "…-output"; others: ChargeDescription
 * "… input tokens", ConsumedUnit "Input Tokens"; some customers tag it). Pure: no I/O.
 *
 * Precedence (the first source that names exactly one kind wins; later sources are not consulted):
 *   1. the tag `Tags.<tokenTypeTag>` (default `token_type`) — an explicit label chosen by the customer; a value
 *      it does not name a kind with is an error, never skipped
 *   2. SkuPriceId   3. SkuId   — the provider's price line, the most specific machine-readable field
 *   4. ConsumedUnit             — often just "Tokens"
 *   5. ChargeDescription        — free text, the last resort
 * A source naming both input and output (e.g. "input-output") names no kind. No source naming a kind is an error.
 */
export type TokenKind = "input" | "output" | "cached-input";

export type TokenKindFields = {
  tag?: string;
  skuPriceId?: string;
  skuId?: string;
  consumedUnit?: string;
  chargeDescription?: string;
};

export type TokenKindResult = { ok: true; kind: TokenKind; source: string } | { ok: false; column: string; reason: string };

const WORD = /[a-z]+/g;

/**
 * The kind a text names, by whole words (so "sku-in" or "inputless" name nothing): "output"; "input" / "prompt";
 * "cached" / "cache" (reads: cached input) — except cache writes ("cache write", "cache creation"), which are
 * input that is not served from the cache.
 */
export function kindInText(text: string | undefined): TokenKind | null {
  if (!text) return null;
  const words = new Set(text.toLowerCase().match(WORD) ?? []);
  const output = words.has("output");
  const input = words.has("input") || words.has("prompt");
  const cache = words.has("cache") || words.has("cached");
  if (output && (input || cache)) return null;
  if (output) return "output";
  if (cache) return words.has("write") || words.has("creation") ? "input" : "cached-input";
  return input ? "input" : null;
}

export function focusTokenKind(f: TokenKindFields, tokenTypeTag: string): TokenKindResult {
  if (f.tag !== undefined && f.tag.trim() !== "") {
    const kind = kindInText(f.tag);
    return kind
      ? { ok: true, kind, source: `Tags.${tokenTypeTag}` }
      : { ok: false, column: "Tags", reason: `Tags.${tokenTypeTag} "${f.tag}" is not input, output or cached input` };
  }
  const ordered: [string, string | undefined][] = [
    ["SkuPriceId", f.skuPriceId],
    ["SkuId", f.skuId],
    ["ConsumedUnit", f.consumedUnit],
    ["ChargeDescription", f.chargeDescription],
  ];
  for (const [source, text] of ordered) {
    const kind = kindInText(text);
    if (kind) return { ok: true, kind, source };
  }
  return {
    ok: false,
    column: "ConsumedUnit",
    reason: `token kind (input or output) not found in Tags.${tokenTypeTag}, SkuPriceId, SkuId, ConsumedUnit or ChargeDescription`,
  };
}
