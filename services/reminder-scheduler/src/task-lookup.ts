import { z } from "zod";
import { invokeService } from "../../shared/src/dapr/invoke";
import { TaskSchema } from "@todo/contracts/task";
import type { SidecarAddress } from "../../shared/src/dapr/sidecar";
import type { TaskFacts } from "./domain/reminder-state";

const InternalTaskResponse = z.object({ task: TaskSchema.pick({ status: true, remindAt: true, title: true }) });

export type CurrentTask = TaskFacts & { title: string };

/**
 * Asks the backend (Dapr service invocation, internal route) for the task as it is now. null: the task
 * no longer exists. Anything else unexpected throws, so the job callback fails and the sidecar retries.
 */
export async function lookUpTask(cfg: SidecarAddress, taskId: string): Promise<CurrentTask | null> {
  const res = await invokeService(cfg, "backend", `internal/tasks/${taskId}`);
  if (res.status === 404) return null;
  if (res.status !== 200) throw new Error(`backend answered HTTP ${res.status} for task ${taskId}`);
  const parsed = InternalTaskResponse.safeParse(res.body);
  if (!parsed.success) throw new Error(`backend sent an unexpected task body: ${parsed.error.issues[0]?.path.join(".")}`);
  return parsed.data.task;
}
