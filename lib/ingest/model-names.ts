/**
 * Dated model snapshot names, as providers publish them: OpenAI `gpt-4.1-2025-04-14` (-YYYY-MM-DD), Anthropic
 * `claude-sonnet-4-20250514` (-YYYYMMDD). Pure: no I/O.
 */
const DASHED = /^(.+?)-(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT = /^(.+?)-(\d{4})(\d{2})(\d{2})$/;

export type DatedName = { base: string; date: string };

/** The undated model name and the snapshot's date (YYYY-MM-DD), or null when the name carries no valid date suffix. */
export function splitDatedModel(name: string): DatedName | null {
  const m = DASHED.exec(name) ?? COMPACT.exec(name);
  if (!m) return null;
  const [, base, y, mo, d] = m;
  const date = `${y}-${mo}-${d}`;
  const t = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== date || Number(y) < 2015) return null;
  return { base, date };
}

const CLOUD_VENDOR = /^(?:(?:us|eu|apac|global|us-gov)\.)?(?:anthropic|meta|amazon|cohere|mistral|ai21|openai|deepseek|writer|qwen)\.(.+)$/i;
const PATH_PREFIX = /^[\w-]+\/(.+)$/;
const BEDROCK_VERSION = /-v\d+(?::\d+)?$|:\d+$/i;
const VERTEX_VERSION = /@[\w.-]+$/;

/**
 * Names a cloud-hosted model may be the catalog model behind, most specific first: Bedrock ids
 * (`us.anthropic.claude-sonnet-4-20250514-v1:0`), Vertex ids (`claude-3-5-sonnet-v2@20241022`) and
 * `vendor/model` paths lose their cloud parts, then a dated snapshot its date. For suggestions only: such names
 * are never resolved without an alias.
 */
export function cloudNameCandidates(name: string): string[] {
  const out: string[] = [];
  let n = name.trim().toLowerCase();
  const push = (v: string) => {
    if (v && !out.includes(v)) out.push(v);
  };
  n = CLOUD_VENDOR.exec(n)?.[1] ?? PATH_PREFIX.exec(n)?.[1] ?? n;
  n = n.replace(VERTEX_VERSION, "");
  push(n);
  n = n.replace(BEDROCK_VERSION, "");
  push(n);
  const dated = splitDatedModel(n);
  if (dated) push(dated.base);
  return out;
}
