import type { ReactNode } from "react";

/** Previous / Next under a table paged in the browser; what is shown is announced politely (`children`). */
export function PageButtons({ canPrevious, canNext, onPrevious, onNext, children }: { canPrevious: boolean; canNext: boolean; onPrevious: () => void; onNext: () => void; children: ReactNode }) {
  return (
    <div className="pager">
      <button type="button" className="btn" onClick={() => canPrevious && onPrevious()} aria-disabled={!canPrevious}>
        Previous
      </button>
      <span aria-live="polite">{children}</span>
      <button type="button" className="btn" onClick={() => canNext && onNext()} aria-disabled={!canNext}>
        Next
      </button>
    </div>
  );
}
