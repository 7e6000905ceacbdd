import type { Task } from "@todo/contracts/task";

/** A task as stored: what the API shows plus where it sits in its recurring series. */
export interface TaskRecord {
  task: Task;
  seriesId: string;
  /** 1-based position in the series (occurrences created, which COUNT counts). */
  seriesIndex: number;
  /** DTSTART of the series: the first occurrence's slot (its dueAt, else its creation time). */
  seriesStart: string;
  /** The rule's time of this occurrence, independent of where its dueAt was moved. */
  seriesSlot: string;
  /** IANA zone the rule is evaluated in. */
  timeZone: string;
  /** No occurrence follows this one. */
  seriesEnded: boolean;
  parentTaskId: string | null;
}

/** The record with its series fields mirrored onto the task the API returns and events carry. */
export function synced(rec: TaskRecord): TaskRecord {
  const { seriesId, seriesIndex, seriesStart, seriesSlot, timeZone, seriesEnded } = rec;
  return { ...rec, task: { ...rec.task, timeZone, seriesId, seriesIndex, seriesStart, seriesSlot, seriesEnded } };
}
