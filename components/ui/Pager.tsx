import Link from "next/link";

/** Server-side pagination links (?page=N), keyboard reachable. */
export function Pager({ page, pageSize, total, base }: { page: number; pageSize: number; total: number; base: string }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const href = (p: number) => `${base}${base.includes("?") ? "&" : "?"}page=${p}`;
  return (
    <nav className="pager" aria-label="Pagination">
      {page > 1 ? <Link className="btn" href={href(page - 1)}>Previous</Link> : <span className="btn" aria-disabled="true">Previous</span>}
      <span>Page {page} of {pages} ({total} total)</span>
      {page < pages ? <Link className="btn" href={href(page + 1)}>Next</Link> : <span className="btn" aria-disabled="true">Next</span>}
    </nav>
  );
}
