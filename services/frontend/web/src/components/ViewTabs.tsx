import { VIEWS, type View } from "../views";

/** Today / Upcoming / Overdue (in this browser's time zone) or everything. */
export function ViewTabs({ view, onChange }: { view: View; onChange: (v: View) => void }) {
  return (
    <nav class="views" aria-label="Views">
      {VIEWS.map((v) => (
        <button key={v.id} type="button" aria-pressed={view === v.id} title={v.hint} onClick={() => onChange(v.id)}>
          {v.label}
        </button>
      ))}
    </nav>
  );
}
