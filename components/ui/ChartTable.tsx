"use client";
import { useId, useState } from "react";

/**
 * The numbers behind a chart, behind a "Show as table" toggle (WCAG 1.1.1). Cells arrive formatted, so amounts
 * stay exact strings. A long table scrolls inside its own region, which takes focus so the keyboard can scroll it.
 */
export function ChartTable({ caption, head, rows, numeric = [], testId }: { caption: string; head: string[]; rows: (string | number)[][]; numeric?: boolean[]; testId?: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div>
      <button type="button" className="btn link" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {open ? "Hide table" : "Show as table"}<span className="sr-only">: {caption}</span>
      </button>
      <div id={id} hidden={!open}>
        {open && (
          <div className="chart-table" role="region" aria-label={caption} tabIndex={0} data-testid={testId}>
            <table className="data">
              <caption className="sr-only">{caption}</caption>
              <thead>
                <tr>{head.map((h, i) => <th key={h} scope="col" className={numeric[i] ? "num" : undefined}>{h}</th>)}</tr>
              </thead>
              <tbody>
                {rows.map((r, j) => (
                  <tr key={j}>
                    {r.map((c, i) => (i === 0 ? <th key={i} scope="row">{c}</th> : <td key={i} className={numeric[i] ? "num" : undefined}>{c}</td>))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}
