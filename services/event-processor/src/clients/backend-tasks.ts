import { invokeService } from "../../../shared/src/dapr/invoke";
import type { SidecarAddress } from "../../../shared/src/dapr/sidecar";

export type NextOccurrenceResult = "created" | "existed" | "gone" | "never-completed";

/** Everything the backend needs to create a next occurrence (see its NextOccurrenceBody). */
export interface NextOccurrenceRequest {
  eventId: string;
  correlationId: string;
  parentTaskId: string;
  /** The completed task's version in the event (the backend checks the completion happened). */
  parentVersion: number;
  userId: string;
  title: string;
  description: string;
  priority: string;
  tags: string[];
  recurrence: string;
  timeZone: string;
  seriesId: string;
  seriesStart: string;
  seriesSlot: string;
  seriesIndex: number;
  dueAt: string;
  remindAt: string | null;
}

/** The backend's internal task routes, reached through Dapr service invocation (never the ingress). */
export class BackendTasksClient {
  constructor(private readonly cfg: SidecarAddress & { BACKEND_TIMEOUT_MS: number }) {}

  /**
   * One call per completion: the backend creates the occurrence once per completion event (201 made
   * it, 200 found it), whether or not the completed task still exists or was reopened since. 404: the
   * owner is gone; 409: the task is pending at or before the event's version — a completion it never
   * had (a forged or corrupt event).
   */
  async createNextOccurrence(body: NextOccurrenceRequest): Promise<NextOccurrenceResult> {
    const res = await invokeService(this.cfg, "backend", "internal/tasks/next-occurrence", {
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
        return "gone";
      case 409:
        return "never-completed";
      default:
        throw new Error(`backend POST internal/tasks/next-occurrence: HTTP ${res.status}`);
    }
  }
}
