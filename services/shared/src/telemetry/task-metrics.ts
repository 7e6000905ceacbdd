import { Counter } from "prom-client";
import { registry } from "./registry";

/** Business-level task operations that took effect (a repeated complete is not counted). */
export const taskOperations = new Counter({
  name: "todo_task_operations_total",
  help: "Task state changes committed, by operation (create|update|complete|reopen|delete|next_occurrence)",
  labelNames: ["operation"] as const,
  registers: [registry],
});
