"use client";
import { useRouter, useSearchParams } from "next/navigation";

type Opt = { id: string; name: string };
export function ScopePicker({ teams, classes, lockedTeam }: { teams: Opt[]; classes: Opt[]; lockedTeam?: Opt }) {
  const router = useRouter();
  const sp = useSearchParams();
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(sp.toString());
    if (v) next.set(k, v);
    else next.delete(k);
    router.push(`/forecasts?${next.toString()}`);
  };
  return (
    <form className="filters" aria-label="Forecast scope" onSubmit={(e) => e.preventDefault()}>
      {lockedTeam ? (
        <label>Team<input aria-label="Team" value={lockedTeam.name} readOnly /></label>
      ) : (
        <label>Team<select aria-label="Team" value={sp.get("team") ?? ""} onChange={(e) => set("team", e.target.value)}><option value="">All teams</option>{teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}</select></label>
      )}
      <label>Model class<select aria-label="Model class" value={sp.get("class") ?? ""} onChange={(e) => set("class", e.target.value)}><option value="">All classes</option>{classes.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</select></label>
      <label>Tokens<select aria-label="Tokens" value={sp.get("metric") ?? "INPUT"} onChange={(e) => set("metric", e.target.value)}><option value="INPUT">Input tokens</option><option value="OUTPUT">Output tokens</option></select></label>
    </form>
  );
}
