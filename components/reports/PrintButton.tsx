"use client";

/** Opens the browser's print dialog (the report's print styles hide navigation and controls). */
export function PrintButton() {
  return (
    <button type="button" className="btn primary" onClick={() => window.print()}>
      Print or save as PDF
    </button>
  );
}
