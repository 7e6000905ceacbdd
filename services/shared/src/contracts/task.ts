import { z } from "zod";

export const taskStatuses = ["pending", "completed"] as const;
export const taskPriorities = ["low", "medium", "high"] as const;

/** A task as the API returns it and as events carry it. Times are ISO 8601 UTC strings. */
export const TaskSchema = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  title: z.string(),
  description: z.string(),
  status: z.enum(taskStatuses),
  priority: z.enum(taskPriorities),
  tags: z.array(z.string()),
  dueAt: z.iso.datetime({ offset: true }).nullable(),
  remindAt: z.iso.datetime({ offset: true }).nullable(),
  recurrence: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  completedAt: z.iso.datetime({ offset: true }).nullable(),
  version: z.number().int().positive(),
});
export type Task = z.infer<typeof TaskSchema>;
