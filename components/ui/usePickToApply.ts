"use client";
import { useEffect, useRef, useState } from "react";

// keys that step a closed <select> to another option (Chrome and Firefox fire `change` at once)
const STEP_KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"]);

/**
 * A select whose choice changes the page (navigates, re-runs a check). Picked with the pointer or from the opened
 * list, the choice applies at once; stepped through with arrow or letter keys it waits for Enter or the form's
 * button, and `pending` says so, so browsing options by keyboard never changes the context (WCAG 3.2.2).
 */
export function usePickToApply(value: string, apply: (value: string) => void) {
  const [draft, setDraft] = useState(value);
  const stepping = useRef(false);
  useEffect(() => setDraft(value), [value]);
  return {
    draft,
    pending: draft !== value,
    selectProps: {
      value: draft,
      onMouseDown: () => {
        stepping.current = false;
      },
      onKeyDown: (e: React.KeyboardEvent<HTMLSelectElement>) => {
        if (e.key === "Enter") {
          e.preventDefault();
          apply(e.currentTarget.value);
          return;
        }
        stepping.current = STEP_KEYS.has(e.key) || (e.key.length === 1 && e.key !== " ");
      },
      onChange: (e: React.ChangeEvent<HTMLSelectElement>) => {
        setDraft(e.target.value);
        if (stepping.current) return;
        apply(e.target.value);
      },
    },
  };
}
