import Link from "next/link";
import { fmtCount } from "@/lib/format";

/**
 * Server-side pagination links (?page=N), keyboard reachable. `noun` names what is counted ("teams");
 * `scroll={false}` keeps the reader's place when the table is not at the top of the page.
 */
export function Pager({ page, pageSize, total, base, noun, scroll }: { page: number; pageSize: number; total: number; base: string; noun?: string; scroll?: boolean }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const href = (p: number) => `${base}${base.includes("?") ? "&" : "?"}page=${p}`;
  const from = (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav className="pager" aria-label="Pagination">
      {page > 1 ? <Link className="btn" href={href(page - 1)} scroll={scroll}>Previous</Link> : <span className="btn" aria-disabled="true">Previous</span>}
      <span>{noun ? `${fmtCount(from)}–${fmtCount(to)} of ${fmtCount(total)} ${noun}, page ${page} of ${fmtCount(pages)}` : `Page ${page} of ${fmtCount(pages)} (${fmtCount(total)} total)`}</span>
      {page < pages ? <Link className="btn" href={href(page + 1)} scroll={scroll}>Next</Link> : <span className="btn" aria-disabled="true">Next</span>}
    </nav>
  );
}
