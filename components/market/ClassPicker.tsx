"use client";
import { useRouter } from "next/navigation";
import { usePickToApply } from "@/components/ui/usePickToApply";

/** Switches the market page's class: at once when picked, on Enter or "Show" when stepped with the arrow keys (WCAG 3.2.2). */
export function ClassPicker({ classes, value }: { classes: { key: string; name: string }[]; value: string }) {
  const router = useRouter();
  const go = (key: string) => router.push(`/market?class=${encodeURIComponent(key)}`);
  const pick = usePickToApply(value, go);
  return (
    <form className="filters" method="get" action="/market" onSubmit={(e) => { e.preventDefault(); go(pick.draft); }} style={{ marginBottom: 0 }}>
      <label>
        Model class
        <select name="class" aria-label="Model class" aria-describedby={pick.pending ? "class-pick-hint" : undefined} {...pick.selectProps}>
          {classes.map((c) => <option key={c.key} value={c.key}>{c.name}</option>)}
        </select>
      </label>
      <button type="submit" className="btn">Show</button>
      <span id="class-pick-hint" className="pick-hint" role="status">{pick.pending ? "Press Enter or Show to switch." : ""}</span>
    </form>
  );
}
