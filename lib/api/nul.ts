/**
 * PostgreSQL text cannot hold U+0000: a string carrying it would fail in the database (a 500) however valid it
 * is otherwise. Every query value and every string in a JSON body (keys included) is refused first, naming where.
 */
export function assertNoNul(value: unknown, path: string, issues: { path: string; message: string }[] = []): { path: string; message: string }[] {
  if (issues.length >= 20) return issues;
  if (typeof value === "string") {
    if (value.includes("\u0000")) issues.push({ path, message: "must not contain the NUL character (U+0000)" });
  } else if (Array.isArray(value)) value.forEach((v, i) => assertNoNul(v, `${path}.${i}`, issues));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      if (k.includes("\u0000")) issues.push({ path, message: "must not have a key containing the NUL character (U+0000)" });
      assertNoNul(v, `${path}.${k.replace(/\u0000/g, "\\u0000")}`, issues);
    }
  return issues;
}
