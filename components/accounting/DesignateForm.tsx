"use client";
import { useState } from "react";
import { useSubmit } from "@/components/ui/useApi";

/** The CFO designates the contract as a cash-flow hedge, stating the risk management objective. */
export function DesignateForm({ id }: { id: string }) {
  const [objective, setObjective] = useState("");
  const designate = useSubmit(`/api/v1/contracts/${id}/designation`);
  const error = designate.error;
  return (
    <section className="panel" aria-labelledby="designate-h">
      <h2 id="designate-h">Designate as a cash-flow hedge</h2>
      <p className="muted">Hedged item: the forecast usage of the contract&apos;s class over its window. Effectiveness: dollar offset each settled month (80%–125%). A designation is dated and cannot be changed.</p>
      <label>Risk management objective and strategy
        <textarea value={objective} onChange={(e) => setObjective(e.target.value)} rows={3} maxLength={2000} aria-invalid={!!error?.fields.riskManagementObjective} />
      </label>
      {error && <p role="alert" className="error">{error.fields.riskManagementObjective ?? error.message}</p>}
      <div className="actions">
        <button type="button" className="btn primary" aria-disabled={designate.pending} onClick={() => designate.submit({ riskManagementObjective: objective })}>Designate</button>
      </div>
    </section>
  );
}
