"use client";
import { useState } from "react";
import { FormError } from "@/components/ui/Field";
import { useSubmit } from "@/components/ui/useApi";
import type { Allocation, Benchmark } from "@/lib/domain/chargeback";

/** Admin: the org's chargeback benchmark and allocation rule (PATCH /api/v1/org/settings, audited). */
export function ChargebackSettings({ benchmark, allocation }: { benchmark: Benchmark; allocation: Allocation }) {
  const { submit, pending, error } = useSubmit("/api/v1/org/settings", "PATCH");
  const [saved, setSaved] = useState(false);
  return (
    <form
      className="form inline panel"
      aria-label="Chargeback settings"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        setSaved(false);
        if (await submit({ chargebackBenchmark: f.get("chargebackBenchmark"), chargebackAllocation: f.get("chargebackAllocation") })) setSaved(true);
      }}
    >
      <label>
        Benchmark
        <select name="chargebackBenchmark" defaultValue={benchmark} aria-invalid={!!error?.fields.chargebackBenchmark}>
          <option value="SPOT">Curve spot (the class&apos;s daily spot)</option>
          <option value="LIST">Catalog list price</option>
        </select>
        {error?.fields.chargebackBenchmark && <span className="field-error">{error.fields.chargebackBenchmark}</span>}
      </label>
      <label>
        Share each hedge&apos;s result
        <select name="chargebackAllocation" defaultValue={allocation} aria-invalid={!!error?.fields.chargebackAllocation}>
          <option value="USAGE">Pro rata to usage of the class in the month</option>
          <option value="FORECAST_AT_BOOKING">Pro rata to each team&apos;s forecast at booking</option>
        </select>
        {error?.fields.chargebackAllocation && <span className="field-error">{error.fields.chargebackAllocation}</span>}
      </label>
      <button className="btn primary" aria-disabled={pending}>{pending ? "Saving…" : "Save chargeback settings"}</button>
      <FormError error={error} />
      {saved && <p className="success" role="status">Saved. Every statement is recomputed with the new settings.</p>}
    </form>
  );
}
