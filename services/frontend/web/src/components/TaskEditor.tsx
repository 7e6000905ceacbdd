import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api/client";
import type { Priority, Task, TaskInput } from "../api/types";
import { canonicalTimeZone } from "../../../../shared/src/recurrence";
import { browserTimeZone, choiceFor, dayOfMonthIn, formatInZone, knownTimeZones, previewOccurrences, ruleOnSave, WEEKDAYS, type RecurrenceChoice, type WeekdayCode } from "../recurrence";
import { isoToLocalInput, localInputToIso, sameZone } from "../time";
import { FieldError } from "./Toasts";
import { reminderChoiceFor, remindAtFor, type ReminderChoice } from "../reminder-offset";
import { ReminderField } from "./ReminderField";

interface Props {
  task: Task | null;
  onSave: (input: TaskInput) => Promise<void>;
  onCancel: () => void;
}

const DAY_NAMES: Record<WeekdayCode, string> = { MO: "Mon", TU: "Tue", WE: "Wed", TH: "Thu", FR: "Fri", SA: "Sat", SU: "Sun" };

/** Create or edit a task, with recurrence presets, a custom RRULE and a preview of the next dates. */
export function TaskEditor({ task, onSave, onCancel }: Props) {
  const [title, setTitle] = useState(task?.title ?? "");
  const [description, setDescription] = useState(task?.description ?? "");
  const [priority, setPriority] = useState<Priority>(task?.priority ?? "medium");
  const [tags, setTags] = useState((task?.tags ?? []).join(", "));
  // a task lives in a zone: the browser's by default, the user may pick another. The due and reminder
  // inputs are wall-clock times in that zone (so are the preview and the task list)
  const [timeZone, setTimeZone] = useState(task?.timeZone ?? browserTimeZone());
  const [dueAt, setDueAt] = useState(isoToLocalInput(task?.dueAt ?? null, timeZone));
  const [remindAt, setRemindAt] = useState(isoToLocalInput(task?.remindAt ?? null, timeZone));
  const [reminder, setReminder] = useState<ReminderChoice>(reminderChoiceFor(task?.dueAt ?? null, task?.remindAt ?? null, timeZone));
  const [initialChoice] = useState<RecurrenceChoice>(() => choiceFor(task?.recurrence ?? null));
  const [choice, setChoice] = useState<RecurrenceChoice>(initialChoice);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const titleRef = useRef<HTMLInputElement>(null);

  useEffect(() => titleRef.current?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onCancel();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onCancel]);

  // a zone still being typed reads as the browser's until it is one
  const zone = canonicalTimeZone(timeZone) ?? browserTimeZone();
  const dueIso = localInputToIso(dueAt, zone);
  const start = dueIso ? new Date(dueIso) : new Date();
  const edit = task && { stored: task.recurrence, firstOccurrence: (task.seriesIndex ?? 1) === 1, initial: initialChoice };
  const rule = ruleOnSave(edit, choice, dayOfMonthIn(start, zone));
  const preview = rule ? previewOccurrences(rule, start, 3, timeZone) : null;
  const fieldError = (name: string) => error?.fields.find((f) => f.field === name)?.message;

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSave({
        title: title.trim(),
        description,
        priority,
        tags: tags.split(",").map((t) => t.trim()).filter(Boolean),
        dueAt: dueIso,
        remindAt: remindAtFor(reminder, dueIso, localInputToIso(remindAt, zone), zone),
        recurrence: rule,
        timeZone,
      });
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "error", String(err)));
    } finally {
      setBusy(false);
    }
  }

  const toggleDay = (d: WeekdayCode) =>
    setChoice({ ...choice, days: choice.days.includes(d) ? choice.days.filter((x) => x !== d) : [...choice.days, d] });

  return (
    <div class="dialog-backdrop">
      <form class="dialog" role="dialog" aria-modal="true" aria-labelledby="editor-title" onSubmit={submit}>
        <h2 id="editor-title">{task ? "Edit task" : "New task"}</h2>
        <label>
          Title
          <input ref={titleRef} name="title" required maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} aria-describedby="err-title" />
        </label>
        <FieldError id="err-title">{fieldError("title")}</FieldError>
        <label>
          Description
          <textarea name="description" rows={3} maxLength={5000} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
        <div class="row">
          <label>
            Priority
            <select name="priority" value={priority} onChange={(e) => setPriority(e.currentTarget.value as Priority)}>
              <option value="low">Low</option>
              <option value="medium">Medium</option>
              <option value="high">High</option>
            </select>
          </label>
          <label>
            Tags <span class="hint">(comma separated)</span>
            <input name="tags" value={tags} onInput={(e) => setTags(e.currentTarget.value)} aria-describedby="err-tags" />
          </label>
        </div>
        <FieldError id="err-tags">{fieldError("tags")}</FieldError>
        <div class="row">
          <label>
            Due{!sameZone(zone, browserTimeZone()) && <span class="hint"> ({zone})</span>}
            <input type="datetime-local" step="1" name="dueAt" value={dueAt} onInput={(e) => setDueAt(e.currentTarget.value)} aria-describedby="err-due" />
          </label>
          <ReminderField dueAt={dueAt} choice={reminder} onChoice={setReminder} custom={remindAt} onCustom={setRemindAt} timeZone={zone} />
        </div>
        <FieldError id="err-due">{fieldError("dueAt")}</FieldError>
        <FieldError id="err-remind">{fieldError("remindAt")}</FieldError>
        <fieldset>
          <legend>Repeat</legend>
          <label>
            Pattern
            <select name="recurrence" value={choice.preset} onChange={(e) => setChoice({ ...choice, preset: e.currentTarget.value as RecurrenceChoice["preset"] })}>
              <option value="none">Does not repeat</option>
              <option value="daily">Daily</option>
              <option value="weekdays">Every weekday (Mon–Fri)</option>
              <option value="weekly">Weekly on chosen days</option>
              <option value="monthly">Monthly</option>
              <option value="custom">Custom rule (RRULE)</option>
            </select>
          </label>
          {choice.preset === "weekly" && (
            <div class="days" role="group" aria-label="Days of the week">
              {WEEKDAYS.map((d) => (
                <label key={d} class="day">
                  <input type="checkbox" checked={choice.days.includes(d)} onChange={() => toggleDay(d)} />
                  {DAY_NAMES[d]}
                </label>
              ))}
            </div>
          )}
          {choice.preset === "custom" && (
            <label>
              RRULE
              <input name="rrule" placeholder="FREQ=WEEKLY;BYDAY=MO,WE" value={choice.custom} onInput={(e) => setChoice({ ...choice, custom: e.currentTarget.value })} aria-describedby="err-recurrence" />
            </label>
          )}
          {choice.preset !== "none" && (
            <label>
              Time zone
              <input name="timeZone" list="time-zones" value={timeZone} onInput={(e) => setTimeZone(e.currentTarget.value)} aria-describedby="err-time-zone" />
              <datalist id="time-zones">
                {knownTimeZones().map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </label>
          )}
          <FieldError id="err-time-zone">{fieldError("timeZone")}</FieldError>
          <FieldError id="err-recurrence">{fieldError("recurrence")}</FieldError>
          {preview && (
            <div class="preview" aria-live="polite">
              {"error" in preview ? (
                <p class="field-error">{preview.error}</p>
              ) : (
                <>
                  <span>Next: </span>
                  <ol class="inline" data-testid="occurrences">
                    {preview.dates.map((d) => (
                      <li key={d.toISOString()}>{formatInZone(d, zone)}</li>
                    ))}
                  </ol>
                </>
              )}
            </div>
          )}
        </fieldset>
        {error && (
          <p class="form-error" role="alert">
            {error.message}
          </p>
        )}
        <div class="actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {task ? "Save" : "Add task"}
          </button>
        </div>
      </form>
    </div>
  );
}
