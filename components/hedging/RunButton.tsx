"use client";
import { useState } from "react";
import { apiFetch } from "@/components/ui/useApi";

/** Queues a recommendation run in the worker; the page shows the new run once it is stored. */
export function RunButton() {
  const [state, setState] = useState<"idle" | "pending" | "queued" | "error">("idle");
  return (
    <div>
      <button
        type="button"
        className="btn"
        aria-disabled={state === "pending"}
        onClick={async () => {
          if (state === "pending") return;
          setState("pending");
          try {
            await apiFetch("/api/v1/recommendations/run", { method: "POST" });
            setState("queued");
          } catch {
            setState("error");
          }
        }}
      >
        Recompute recommendations
      </button>
      <span role="status" className="muted">
        {state === "queued" ? " Queued — reload in a few seconds." : state === "error" ? " Could not queue the run." : ""}
      </span>
    </div>
  );
}
