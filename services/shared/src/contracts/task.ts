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
});
export type Task = z.infer<typeof TaskSchema>;
