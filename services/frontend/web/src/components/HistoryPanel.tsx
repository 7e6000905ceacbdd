import { useEffect, useState } from "preact/hooks";
import { ApiError, type ApiClient } from "../api/client";
import type { HistoryItem, Task } from "../api/types";
import { historyInWords } from "../history-text";
import { formatWhen } from "../time";

/** The task's audit trail, oldest first, in words ("Priority: medium → high"). */
export function HistoryPanel({ api, task, onClose }: { api: ApiClient; task: Task; onClose: () => void }) {
  const [items, setItems] = useState<HistoryItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.history(task.id).then(
      (r) => setItems(r.items),
      (err) => setError(err instanceof ApiError ? err.message : String(err)),
    );
  }, [api, task.id]);
  return (
    <aside class="panel" aria-labelledby="history-title">
      <div class="panel-head">
        <h2 id="history-title">History of “{task.title}”</h2>
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
      {error && <p class="form-error" role="alert">{error}</p>}
      {!items && !error && <p>Loading…</p>}
      {items && (
        <ol class="history" data-testid="history">
          {items.map((i, n) => {
            const words = historyInWords(i);
            return (
              <li key={i.eventId ?? n} data-type={i.type}>
                <strong>{words.headline}</strong> <time dateTime={i.at}>{formatWhen(i.at)}</time>
                {words.details.length > 0 && (
                  <ul class="changes">
                    {words.details.map((d) => (
                      <li key={d}>{d}</li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </aside>
  );
}
