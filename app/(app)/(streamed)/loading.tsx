export default function Loading() {
  return (
    <p role="status" className="muted" aria-live="polite">
      Loading…
    </p>
  );
}
