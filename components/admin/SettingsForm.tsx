"use client";
import { useState } from "react";
import { Field, FormError } from "@/components/ui/Field";
import { useSubmit } from "@/components/ui/useApi";
import { FOCUS_COST_COLUMNS, type OrgSettings } from "@/lib/validation/settings";

export function SettingsForm({ settings }: { settings: OrgSettings }) {
  const { submit, pending, error } = useSubmit("/api/v1/org/settings", "PATCH");
  const [saved, setSaved] = useState(false);
  const c = settings.curve;
  // field errors arrive as curve.staleDays etc.; Field looks them up by that dotted name
  return (
    <form
      className="form inline"
      aria-label="Organization settings"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const n = (k: string) => String(f.get(k) ?? "");
        setSaved(false);
        const r = await submit({
          importErrorThresholdPct: n("importErrorThresholdPct"),
          focus: { teamColumn: n("focus.teamColumn"), teamTag: n("focus.teamTag"), tokenTypeTag: n("focus.tokenTypeTag"), costColumn: n("focus.costColumn") },
          curve: { staleDays: n("curve.staleDays"), wideSpreadPct: n("curve.wideSpreadPct"), thinMinQuotes: n("curve.thinMinQuotes"), halfLifeDays: n("curve.halfLifeDays"), maxQuoteAgeDays: n("curve.maxQuoteAgeDays") },
        });
        if (r) setSaved(true);
      }}
    >
      <Field name="curve.staleDays" label="Stale after (days)" inputMode="numeric" defaultValue={c.staleDays} error={error} />
      <Field name="curve.wideSpreadPct" label="Wide above spread (%)" inputMode="decimal" defaultValue={c.wideSpreadPct} error={error} />
      <Field name="curve.thinMinQuotes" label="Thin below (quotes)" inputMode="numeric" defaultValue={c.thinMinQuotes} error={error} />
      <Field name="curve.halfLifeDays" label="Quote half-life (days)" inputMode="decimal" defaultValue={c.halfLifeDays} error={error} />
      <Field name="curve.maxQuoteAgeDays" label="Ignore quotes older than (days)" inputMode="numeric" defaultValue={c.maxQuoteAgeDays} error={error} />
      <Field name="importErrorThresholdPct" label="Reject import above invalid rows (%)" inputMode="decimal" defaultValue={settings.importErrorThresholdPct} error={error} />
      <Field name="focus.teamColumn" label="FOCUS team column" defaultValue={settings.focus.teamColumn} error={error} />
      <Field name="focus.teamTag" label="FOCUS team tag" defaultValue={settings.focus.teamTag} error={error} />
      <Field name="focus.tokenTypeTag" label="FOCUS token type tag" defaultValue={settings.focus.tokenTypeTag} error={error} />
      <Field name="focus.costColumn" label="FOCUS cost column" error={error}>
        <select name="focus.costColumn" defaultValue={settings.focus.costColumn}>
          {FOCUS_COST_COLUMNS.map((c) => <option key={c} value={c}>{c}{c === "EffectiveCost" ? " (amortized, after discounts)" : ""}</option>)}
        </select>
      </Field>
      <button className="btn primary" aria-disabled={pending}>{pending ? "Saving…" : "Save settings"}</button>
      <FormError error={error} />
      {saved && <p className="success" role="status">Saved. Curves are rebuilt with the new parameters.</p>}
    </form>
  );
}
