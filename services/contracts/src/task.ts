import { z } from "zod";
import { instantString, storableText } from "./safe-text";

export const taskStatuses = ["pending", "completed"] as const;
export const taskPriorities = ["low", "medium", "high"] as const;

/** A task as the API returns it and as events carry it. Times are ISO 8601 UTC strings (years 1–9999). */
export const TaskSchema = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  title: storableText(),
  description: storableText(),
  status: z.enum(taskStatuses),
  priority: z.enum(taskPriorities),
  tags: z.array(storableText()),
  dueAt: instantString().nullable(),
  remindAt: instantString().nullable(),
  recurrence: storableText().nullable(),
  createdAt: instantString(),
  updatedAt: instantString(),
  completedAt: instantString().nullable(),
  version: z.number().int().positive(),
  // The series (README "Recurring series"). Optional in the schema so events written before these
  // fields existed still parse; the backend always fills them.
  /** IANA zone the rule is evaluated in (default UTC). */
  timeZone: z.string().min(1).max(64).optional(),
  /** The series' id: its first task's id. */
  seriesId: z.uuid().optional(),
  /** 1-based index of this occurrence among the occurrences created. */
  seriesIndex: z.number().int().positive().optional(),
  /** DTSTART of the series: the first occurrence's slot. */
  seriesStart: z.iso.datetime({ offset: true }).optional(),
  /** The rule's time of this occurrence, whatever its dueAt was moved to. */
  seriesSlot: z.iso.datetime({ offset: true }).optional(),
  /** True when no further occurrence will follow (ended by the user, COUNT, UNTIL or the horizon). */
  seriesEnded: z.boolean().optional(),
});
export type Task = z.infer<typeof TaskSchema>;
