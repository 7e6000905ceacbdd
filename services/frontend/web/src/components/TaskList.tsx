import type { Task } from "../api/types";
import { describeRule } from "../recurrence";
import { formatWhen } from "../time";

interface Props {
  tasks: Task[];
  /** Tasks whose complete/reopen request is in flight. */
  toggling: Set<string>;
  /** Completes a pending task, reopens a completed one. */
  onToggleDone: (t: Task) => void;
  onEdit: (t: Task) => void;
  onDelete: (t: Task) => void;
  onHistory: (t: Task) => void;
  /** A pending occurrence of a running series: skip it, or make it the last. */
  onSkip: (t: Task) => void;
  onEndSeries: (t: Task) => void;
}

/** A pending occurrence of a series that still goes on. */
const inRunningSeries = (t: Task) => t.recurrence !== null && !t.seriesEnded && t.status === "pending";

export function TaskList({ tasks, toggling, onToggleDone, onEdit, onDelete, onHistory, onSkip, onEndSeries }: Props) {
  if (tasks.length === 0) return <p class="empty">No tasks match. Add one with “New task”.</p>;
  return (
    <ul class="tasks" aria-label="Tasks">
      {tasks.map((t) => (
        <li key={t.id} class={`task ${t.status}`} data-testid="task" data-task-id={t.id}>
          <input
            type="checkbox"
            class="complete"
            checked={(t.status === "completed") !== toggling.has(t.id)}
            disabled={toggling.has(t.id)}
            aria-label={t.status === "completed" ? `Reopen “${t.title}”` : `Complete “${t.title}”`}
            onChange={() => onToggleDone(t)}
          />
          <div class="task-body">
            <span class="title">{t.title}</span>
            <span class={`badge priority-${t.priority}`}>{t.priority}</span>
            {t.tags.map((tag) => (
              <span key={tag} class="badge tag">
                #{tag}
              </span>
            ))}
            <div class="meta">
              {/* in the task's zone (named when it is not the browser's): a series repeats on its wall clock */}
              {t.dueAt && <span>Due {formatWhen(t.dueAt, t.timeZone)}</span>}
              {t.remindAt && t.status === "pending" && <span>Reminder {formatWhen(t.remindAt, t.timeZone)}</span>}
              {t.recurrence && (
                <span title={`${t.recurrence} (${t.timeZone ?? "UTC"})`}>
                  {t.seriesEnded ? "Series ended (was " : "Repeats "}
                  {describeRule(t.recurrence)}
                  {t.seriesEnded ? ")" : ""}
                </span>
              )}
              {t.completedAt && <span>Done {formatWhen(t.completedAt)}</span>}
            </div>
            {t.description && <p class="description">{t.description}</p>}
          </div>
          <div class="task-actions">
            {inRunningSeries(t) && (
              <>
                <button type="button" onClick={() => onSkip(t)} aria-label={`Skip this occurrence of “${t.title}”`} title="Move it to the series' next date">
                  Skip
                </button>
                <button type="button" onClick={() => onEndSeries(t)} aria-label={`End the series of “${t.title}”`} title="Completing this one creates no next occurrence">
                  End series
                </button>
              </>
            )}
            <button type="button" onClick={() => onHistory(t)} aria-label={`History of “${t.title}”`}>
              History
            </button>
            <button type="button" onClick={() => onEdit(t)} aria-label={`Edit “${t.title}”`}>
              Edit
            </button>
            <button type="button" class="danger" onClick={() => onDelete(t)} aria-label={`Delete “${t.title}”`}>
              Delete
            </button>
          </div>
        </li>
      ))}
    </ul>
  );
}
