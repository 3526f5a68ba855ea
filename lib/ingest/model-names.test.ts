import { describe, expect, it } from "vitest";
import { cloudNameCandidates, splitDatedModel } from "./model-names";

describe("splitDatedModel", () => {
  it.each([
    ["gpt-4.1-2025-04-14", { base: "gpt-4.1", date: "2025-04-14" }],
    ["claude-sonnet-4-20250514", { base: "claude-sonnet-4", date: "2025-05-14" }],
    ["gpt-4o-mini-2024-07-18", { base: "gpt-4o-mini", date: "2024-07-18" }],
    ["claude-3-5-haiku-20241022", { base: "claude-3-5-haiku", date: "2024-10-22" }],
  ])("%s", (name, expected) => {
    expect(splitDatedModel(name)).toEqual(expected);
  });
  it.each(["gpt-4.1", "gpt-4.1-2025-13-40", "model-20250230", "2025-04-14", "gpt-4.1-1999-01-01", "o1-preview", "model-123456789"])("%s has no snapshot date", (name) => {
    expect(splitDatedModel(name)).toBeNull();
  });
});

describe("cloudNameCandidates", () => {
  it.each([
    ["anthropic.claude-3-5-sonnet-20241022-v2:0", ["claude-3-5-sonnet-20241022-v2:0", "claude-3-5-sonnet-20241022", "claude-3-5-sonnet"]],
    ["us.anthropic.claude-sonnet-4-20250514-v1:0", ["claude-sonnet-4-20250514-v1:0", "claude-sonnet-4-20250514", "claude-sonnet-4"]],
    ["claude-3-5-sonnet-v2@20241022", ["claude-3-5-sonnet-v2", "claude-3-5-sonnet"]],
    ["azure/gpt-4o-2024-08-06", ["gpt-4o-2024-08-06", "gpt-4o"]],
    ["gpt-4.1", ["gpt-4.1"]],
  ])("%s", (name, expected) => {
    expect(cloudNameCandidates(name)).toEqual(expected);
  });
});
