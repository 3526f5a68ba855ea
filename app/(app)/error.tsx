"use client";

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="panel">
      <h1>Something went wrong</h1>
      <p className="muted">This page could not be loaded. {error.digest ? `Reference: ${error.digest}.` : ""} Nothing was changed.</p>
      <button type="button" className="btn primary" onClick={reset}>Try again</button>
    </div>
  );
}
