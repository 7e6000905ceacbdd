import { z } from "zod";
import { invokeService, TaskSchema, type SidecarAddress } from "../../../shared/src";

/** `GET internal/tasks/:id` of the backend. */
const TaskWithSeries = z.object({
  task: TaskSchema,
  series: z.object({ id: z.uuid(), start: z.iso.datetime({ offset: true }), index: z.number().int().positive() }),
});
export type TaskWithSeries = z.infer<typeof TaskWithSeries>;

export type NextOccurrenceResult = "created" | "existed" | "task-not-found" | "task-not-completed";

/** The backend's internal task routes, reached through Dapr service invocation (never the ingress). */
export class BackendTasksClient {
  constructor(private readonly cfg: SidecarAddress & { BACKEND_TIMEOUT_MS: number }) {}

  /** null when the backend does not know the task; throws on anything transient or malformed. */
  async getTask(taskId: string): Promise<TaskWithSeries | null> {
    const res = await invokeService(this.cfg, "backend", `internal/tasks/${taskId}`, { timeoutMs: this.cfg.BACKEND_TIMEOUT_MS });
    if (res.status === 404) return null;
    if (res.status !== 200) throw new Error(`backend GET internal/tasks/${taskId}: HTTP ${res.status}`);
    const parsed = TaskWithSeries.safeParse(res.body);
    if (!parsed.success) throw new Error(`backend GET internal/tasks/${taskId}: unexpected body (${parsed.error.issues[0]?.path.join(".")})`);
    return parsed.data;
  }

  /** Exactly once is the backend's unique parent constraint: 201 made it, 200 found it. */
  async createNextOccurrence(
    taskId: string,
    body: { dueAt: string; remindAt: string | null; correlationId: string },
  ): Promise<NextOccurrenceResult> {
    const res = await invokeService(this.cfg, "backend", `internal/tasks/${taskId}/next-occurrence`, {
      httpMethod: "POST",
      body,
      timeoutMs: this.cfg.BACKEND_TIMEOUT_MS,
    });
    switch (res.status) {
      case 201:
        return "created";
      case 200:
        return "existed";
      case 404:
        return "task-not-found";
      case 409:
        return "task-not-completed";
      default:
        throw new Error(`backend POST internal/tasks/${taskId}/next-occurrence: HTTP ${res.status}`);
    }
  }
}
