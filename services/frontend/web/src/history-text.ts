import type { TaskEvent } from "@todo/contracts/events";
import type { FieldChange, HistoryItem } from "./api/types";
import { formatWhen } from "./time";

const FIELD_NAMES: Record<string, string> = {
  title: "Title",
  description: "Description",
  priority: "Priority",
  tags: "Tags",
  dueAt: "Due",
  remindAt: "Reminder",
  recurrence: "Repeat",
  status: "Status",
  completedAt: "Completed at",
};
const TIME_FIELDS = new Set(["dueAt", "remindAt", "completedAt"]);
const MAX_VALUE = 60;

/** A word for every task event type of the catalog: a new type does not compile until it has one. */
const EVENT_WORDS: Readonly<Record<string, string>> = {
  "task.created": "Created",
  "task.completed": "Completed",
  "task.reopened": "Reopened",
  "task.deleted": "Deleted",
  "task.updated": "Changed",
} satisfies Record<TaskEvent["type"], string>;

function fieldName(field: string): string {
  return FIELD_NAMES[field] ?? field.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase());
}

/** A value as a person reads it: lists joined, times local, nothing as "none", long text cut. */
export function valueInWords(field: string, v: unknown): string {
  if (v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) return "none";
  if (Array.isArray(v)) return v.map(String).join(", ");
  if (TIME_FIELDS.has(field) && typeof v === "string") return formatWhen(v);
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function statusAfter(changes: Record<string, FieldChange> | string[] | undefined): unknown {
  return changes && !Array.isArray(changes) ? changes.status?.after : undefined;
}

function changeInWords(field: string, c: FieldChange): string {
  return `${fieldName(field)}: ${valueInWords(field, c.before)} → ${valueInWords(field, c.after)}`;
}

/**
 * A history entry in words: the headline ("Created", "Completed", "Reopened", "Changed") and one line
 * per changed field ("Priority: medium → high"). Entries of older servers name only the fields.
 */
export function historyInWords(item: HistoryItem): { headline: string; details: string[] } {
  const diff = item.data?.diff;
  const changes = Array.isArray(diff) ? Object.fromEntries(diff.map((d) => [d.field, d])) : (item.changes ?? item.data?.changes);
  const changed = Array.isArray(changes) ? changes : changes ? Object.keys(changes) : [];
  // A reopen is `task.reopened`; entries recorded before that type existed are a task.updated of the status back to pending.
  const reopened = item.type === "task.updated" && changed.includes("status") && (item.data?.status ?? statusAfter(changes)) === "pending";
  const headline = reopened ? "Reopened" : (EVENT_WORDS[item.type] ?? item.type.replace(/^task\./, "").replace(/^./, (c) => c.toUpperCase()));
  if (reopened) return { headline, details: [] };
  if (Array.isArray(changes)) {
    const names = changes.filter((f): f is string => typeof f === "string").map((f) => fieldName(f).toLowerCase());
    return { headline, details: names.length ? [`Changed ${names.join(", ")}`] : [] };
  }
  if (changes && typeof changes === "object") {
    const details = Object.entries(changes)
      .filter(([, c]) => c && typeof c === "object" && "after" in c)
      .map(([field, c]) => changeInWords(field, c));
    return { headline, details };
  }
  return { headline, details: [] };
}
