import { RELATIVE_REMINDERS, remindAtFor, type ReminderChoice } from "../reminder-offset";
import { formatWhen, localInputToIso } from "../time";

interface Props {
  /** The editor's due time as typed (`datetime-local`), "" for none. */
  dueAt: string;
  choice: ReminderChoice;
  onChoice: (c: ReminderChoice) => void;
  /** The chosen instant for "custom", as typed. */
  custom: string;
  onCustom: (value: string) => void;
  /** The task's zone: the typed times are its wall clock, and "1 day before" is one of its days. */
  timeZone: string;
}

/** The editor's reminder: relative to the due time ("10 minutes before", …) or at a chosen time. */
export function ReminderField({ dueAt, choice, onChoice, custom, onCustom, timeZone }: Props) {
  const due = localInputToIso(dueAt, timeZone);
  const hint =
    choice === "none"
      ? "No reminder."
      : choice === "custom"
        ? custom
          ? `Reminds ${formatWhen(localInputToIso(custom, timeZone), timeZone)}.`
          : "Choose when to be reminded."
        : due
          ? `Reminds ${formatWhen(remindAtFor(choice, due, null, timeZone), timeZone)}; moves with the due time.`
          : "Set a due time first.";
  return (
    <div class="reminder">
      <label>
        Reminder
        <select name="reminder" value={choice} onChange={(e) => onChoice(e.currentTarget.value as ReminderChoice)} aria-describedby="err-remind reminder-hint">
          <option value="none">No reminder</option>
          {RELATIVE_REMINDERS.map((r) => (
            <option key={r.id} value={r.id} disabled={!due}>
              {r.label}
            </option>
          ))}
          <option value="custom">At a chosen time…</option>
        </select>
      </label>
      {choice === "custom" && (
        <label>
          Reminder time
          <input type="datetime-local" step="1" name="remindAt" value={custom} onInput={(e) => onCustom(e.currentTarget.value)} aria-describedby="err-remind" />
        </label>
      )}
      <p class="hint" id="reminder-hint" data-testid="reminder-hint">
        {hint}
      </p>
    </div>
  );
}
