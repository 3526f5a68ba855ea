import Link from "next/link";
import type { Alert } from "@/lib/services/hedging/dashboard";

const SEVERITY_LABEL = { high: "Act now", medium: "Review", low: "Note" } as const;

/** Alerts (or to-do items), most severe first, each with a link to the rows behind it. */
export function AlertList({ items, empty, testId = "alerts" }: { items: Pick<Alert, "id" | "severity" | "title" | "detail" | "href" | "linkText">[]; empty: string; testId?: string }) {
  if (!items.length) return <div className="empty">{empty}</div>;
  return (
    <ul className="alerts" data-testid={testId}>
      {items.map((a) => (
        <li key={a.id} className={`alert ${a.severity}`}>
          <span className={`badge ${a.severity === "high" ? "bad" : a.severity === "medium" ? "flag" : "ok"}`}>{SEVERITY_LABEL[a.severity]}</span>
          <div>
            <strong>{a.title}</strong>
            <div className="muted">{a.detail}</div>
          </div>
          <Link href={a.href} className="alert-link">{a.linkText}</Link>
        </li>
      ))}
    </ul>
  );
}
