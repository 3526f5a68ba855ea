"use client";
import { useRouter, useSearchParams } from "next/navigation";
import { usePickToApply } from "@/components/ui/usePickToApply";
import { TeamPicker, type TeamOption } from "@/components/ui/TeamPicker";

type Opt = { id: string; name: string };
/** Scope of the forecast: a pick applies at once, arrow-key stepping waits for Enter or "Show" (WCAG 3.2.2). */
export function ScopePicker({ team: selectedTeam, classes, lockedTeam }: { team: TeamOption | null; classes: Opt[]; lockedTeam?: Opt }) {
  const router = useRouter();
  const sp = useSearchParams();
  const go = (changes: Record<string, string>) => {
    const next = new URLSearchParams(sp.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    router.push(`/forecasts?${next.toString()}`);
  };
  const cls = usePickToApply(sp.get("class") ?? "", (v) => go({ class: v }));
  const metric = usePickToApply(sp.get("metric") ?? "INPUT", (v) => go({ metric: v }));
  const pending = cls.pending || metric.pending;
  return (
    <form className="filters" aria-label="Forecast scope" onSubmit={(e) => { e.preventDefault(); go({ class: cls.draft, metric: metric.draft }); }}>
      {lockedTeam ? (
        <label>Team<input aria-label="Team" value={lockedTeam.name} readOnly /></label>
      ) : (
        <TeamPicker key={selectedTeam?.id ?? "all"} selected={selectedTeam} onPick={(t) => go({ team: t?.id ?? "" })} />
      )}
      <label>Model class<select aria-label="Model class" {...cls.selectProps}><option value="">All classes</option>{classes.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</select></label>
      <label>Tokens<select aria-label="Tokens" {...metric.selectProps}><option value="INPUT">Input tokens</option><option value="OUTPUT">Output tokens</option></select></label>
      <button type="submit" className="btn">Show</button>
      <span className="pick-hint" role="status">{pending ? "Press Enter or Show to apply." : ""}</span>
    </form>
  );
}
