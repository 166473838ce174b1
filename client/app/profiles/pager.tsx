/** Previous and Next page; a button without its handler is disabled, there being no such page. */
export function Pager({ onPrevious, onNext }: { onPrevious?: () => void; onNext?: () => void }) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={!onPrevious} onClick={onPrevious}>
        ← Previous page
      </button>
      <button type="button" disabled={!onNext} onClick={onNext}>
        Next page →
      </button>
    </nav>
  );
}
