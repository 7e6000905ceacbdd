import type { Task } from "../../../shared/src/contracts";

/** A task as stored: what the API shows plus where it sits in its recurring series. */
export interface TaskRecord {
  task: Task;
  seriesId: string;
  /** 1-based position in the series. */
  seriesIndex: number;
  /** DTSTART of the series: the first occurrence's dueAt, else its creation time. */
  seriesStart: string;
  parentTaskId: string | null;
}
