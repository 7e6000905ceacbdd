import type { Request } from "express";
import { badRequest, notFound } from "../../../shared/src/http/errors";
import { parseIfMatch, type IfMatch } from "../domain/if-match";
import { TaskIdParams } from "../domain/task-input";

/** A path id that is not a uuid names no task: 404, like another user's task. */
export function taskIdOf(req: Request): string {
  const parsed = TaskIdParams.safeParse(req.params);
  if (!parsed.success) throw notFound("task");
  return parsed.data.id;
}

export function ifMatchOf(req: Request): IfMatch | null {
  try {
    return parseIfMatch(req.header("if-match"));
  } catch (err) {
    throw badRequest((err as Error).message, [{ field: "If-Match", message: (err as Error).message }]);
  }
}
