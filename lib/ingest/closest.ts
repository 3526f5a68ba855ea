/** Closest-name suggestions for values that match nothing (e.g. an unknown team). Pure. */

const simplify = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "");

/** Levenshtein distance, stopping early once it exceeds max. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidate closest to value, compared without case, spaces and punctuation: an exact match after that, then
 * a candidate the value contains as a word-ish part (`proj_support` → "Support"), then the smallest edit distance
 * within a third of the length (at least 1, at most 3). Null when nothing is close: no suggestion beats a wrong one.
 */
export function closestName(value: string, candidates: readonly string[]): string | null {
  const v = simplify(value);
  if (!v) return null;
  const simple = candidates.map((c) => [c, simplify(c)] as const).filter(([, s]) => s.length > 0);
  const exact = simple.find(([, s]) => s === v);
  if (exact) return exact[0];
  const contained = simple.filter(([, s]) => s.length >= 3 && v.includes(s)).sort((a, b) => b[1].length - a[1].length)[0];
  if (contained) return contained[0];
  const max = Math.min(3, Math.max(1, Math.floor(v.length / 3)));
  let best: string | null = null;
  let bestD = max + 1;
  for (const [c, s] of simple) {
    const d = editDistance(v, s, max);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
