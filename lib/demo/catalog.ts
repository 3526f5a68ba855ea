/** The demo organization's catalog. Prices are per 1M tokens (USD), shaped on public list prices; labelled demo. */
export const DEMO_CLASSES = [
  { key: "frontier-reasoning", name: "Frontier reasoning", description: "Top-capability reasoning models", quality: "92" },
  { key: "general-chat", name: "General chat", description: "Mid-tier chat and tool use", quality: "80" },
  { key: "small-fast", name: "Small & fast", description: "Low-latency, low-cost models", quality: "66" },
  { key: "embedding", name: "Embedding", description: "Text embedding models", quality: "60" },
] as const;

export type DemoModel = {
  provider: string;
  name: string;
  cls: (typeof DEMO_CLASSES)[number]["key"];
  input: string;
  output: string;
  versions: { version: string; fromDaysAgo: number }[];
  /** list-price cuts: from N days ago, prices multiplied by factor */
  cuts: { fromDaysAgo: number; factor: string }[];
  aliases?: string[];
};

export const DEMO_MODELS: DemoModel[] = [
  { provider: "OpenAI", name: "o3", cls: "frontier-reasoning", input: "10", output: "40", versions: [{ version: "o3-2025-04-16", fromDaysAgo: 460 }], cuts: [{ fromDaysAgo: 160, factor: "0.2" }] },
  { provider: "OpenAI", name: "gpt-4.1", cls: "general-chat", input: "2", output: "8", versions: [{ version: "gpt-4.1-2025-04-14", fromDaysAgo: 460 }, { version: "gpt-4.1-2026-09-30", fromDaysAgo: 55 }], cuts: [] },
  { provider: "OpenAI", name: "gpt-4.1-mini", cls: "small-fast", input: "0.4", output: "1.6", versions: [{ version: "gpt-4.1-mini-2025-04-14", fromDaysAgo: 460 }], cuts: [] },
  { provider: "OpenAI", name: "text-embedding-3-large", cls: "embedding", input: "0.13", output: "0", versions: [{ version: "3-large", fromDaysAgo: 460 }], cuts: [] },
  { provider: "Anthropic", name: "claude-opus-4", cls: "frontier-reasoning", input: "15", output: "75", versions: [{ version: "claude-opus-4-20250514", fromDaysAgo: 460 }, { version: "claude-opus-4-1-20250805", fromDaysAgo: 110 }], cuts: [{ fromDaysAgo: 40, factor: "0.3333" }], aliases: ["claude-opus-4-20250514", "claude-opus-4-1-20250805"] },
  { provider: "Anthropic", name: "claude-sonnet-4", cls: "general-chat", input: "3", output: "15", versions: [{ version: "claude-sonnet-4-20250514", fromDaysAgo: 460 }], cuts: [], aliases: ["claude-sonnet-4-20250514"] },
  { provider: "Anthropic", name: "claude-haiku-3.5", cls: "small-fast", input: "0.8", output: "4", versions: [{ version: "claude-3-5-haiku-20241022", fromDaysAgo: 460 }], cuts: [], aliases: ["claude-3-5-haiku-20241022"] },
  { provider: "Google", name: "gemini-2.5-pro", cls: "frontier-reasoning", input: "1.25", output: "10", versions: [{ version: "gemini-2.5-pro-001", fromDaysAgo: 460 }], cuts: [] },
  { provider: "Google", name: "gemini-2.5-flash", cls: "small-fast", input: "0.3", output: "2.5", versions: [{ version: "gemini-2.5-flash-001", fromDaysAgo: 460 }], cuts: [{ fromDaysAgo: 250, factor: "0.8" }] },
  { provider: "Google", name: "gemini-embedding-001", cls: "embedding", input: "0.15", output: "0", versions: [{ version: "001", fromDaysAgo: 460 }], cuts: [] },
  { provider: "Mistral", name: "mistral-large", cls: "general-chat", input: "2", output: "6", versions: [{ version: "mistral-large-2411", fromDaysAgo: 460 }], cuts: [] },
];

export type DemoStream = {
  team: string;
  provider: string;
  model: string;
  /** mean input tokens per weekday at the start of history */
  baseInput: number;
  /** output tokens per input token */
  outRatio: number;
  /** yearly growth multiple */
  growth: number;
  /** starts N days before the end (launch), undefined = from the start */
  launchDaysAgo?: number;
  /** stops N days before the end (churn) */
  churnDaysAgo?: number;
  weekendFactor: number;
};

export const DEMO_TEAMS = [
  "Customer Support",
  "Search & Discovery",
  "Developer Productivity",
  "Marketing Content",
  "Data Science",
  "Legal Ops",
  "Sales Enablement",
  "Platform",
];

export const DEMO_STREAMS: DemoStream[] = [
  { team: "Customer Support", provider: "Anthropic", model: "claude-sonnet-4", baseInput: 900e6, outRatio: 0.25, growth: 2.2, weekendFactor: 0.7 },
  { team: "Customer Support", provider: "OpenAI", model: "gpt-4.1-mini", baseInput: 1500e6, outRatio: 0.2, growth: 1.6, weekendFactor: 0.75 },
  { team: "Customer Support", provider: "OpenAI", model: "text-embedding-3-large", baseInput: 400e6, outRatio: 0, growth: 1.4, weekendFactor: 0.6 },
  { team: "Search & Discovery", provider: "Google", model: "gemini-embedding-001", baseInput: 2500e6, outRatio: 0, growth: 1.8, weekendFactor: 0.85 },
  { team: "Search & Discovery", provider: "Google", model: "gemini-2.5-flash", baseInput: 1200e6, outRatio: 0.15, growth: 2.5, weekendFactor: 0.8 },
  { team: "Developer Productivity", provider: "Anthropic", model: "claude-opus-4", baseInput: 120e6, outRatio: 0.35, growth: 3.0, weekendFactor: 0.25, launchDaysAgo: 300 },
  { team: "Developer Productivity", provider: "OpenAI", model: "o3", baseInput: 80e6, outRatio: 0.5, growth: 1.2, weekendFactor: 0.3, churnDaysAgo: 120 },
  { team: "Developer Productivity", provider: "Anthropic", model: "claude-sonnet-4", baseInput: 500e6, outRatio: 0.3, growth: 2.0, weekendFactor: 0.25 },
  { team: "Marketing Content", provider: "OpenAI", model: "gpt-4.1", baseInput: 250e6, outRatio: 0.8, growth: 1.5, weekendFactor: 0.35 },
  { team: "Marketing Content", provider: "Mistral", model: "mistral-large", baseInput: 150e6, outRatio: 0.7, growth: 1.1, weekendFactor: 0.35, churnDaysAgo: 90 },
  { team: "Data Science", provider: "Google", model: "gemini-2.5-pro", baseInput: 300e6, outRatio: 0.2, growth: 2.0, weekendFactor: 0.5 },
  { team: "Data Science", provider: "OpenAI", model: "gpt-4.1-mini", baseInput: 600e6, outRatio: 0.1, growth: 1.8, weekendFactor: 0.55 },
  { team: "Legal Ops", provider: "Anthropic", model: "claude-opus-4", baseInput: 40e6, outRatio: 0.3, growth: 1.6, weekendFactor: 0.15, launchDaysAgo: 200 },
  { team: "Legal Ops", provider: "OpenAI", model: "gpt-4.1", baseInput: 60e6, outRatio: 0.4, growth: 1.3, weekendFactor: 0.15 },
  { team: "Sales Enablement", provider: "OpenAI", model: "gpt-4.1", baseInput: 180e6, outRatio: 0.6, growth: 1.7, weekendFactor: 0.2, launchDaysAgo: 150 },
  { team: "Sales Enablement", provider: "Anthropic", model: "claude-haiku-3.5", baseInput: 350e6, outRatio: 0.3, growth: 1.4, weekendFactor: 0.2 },
  { team: "Platform", provider: "Google", model: "gemini-2.5-flash", baseInput: 2000e6, outRatio: 0.1, growth: 1.9, weekendFactor: 0.9 },
  { team: "Platform", provider: "Anthropic", model: "claude-haiku-3.5", baseInput: 800e6, outRatio: 0.2, growth: 1.5, weekendFactor: 0.9, launchDaysAgo: 60 },
];

export const DEMO_MAPPINGS = [
  { source: "OPENAI_PROJECT" as const, externalId: "proj_support", team: "Customer Support" },
  { source: "OPENAI_PROJECT" as const, externalId: "proj_devprod", team: "Developer Productivity" },
  { source: "ANTHROPIC_WORKSPACE" as const, externalId: "wrkspc_support", team: "Customer Support" },
  { source: "ANTHROPIC_WORKSPACE" as const, externalId: "wrkspc_legal", team: "Legal Ops" },
];
