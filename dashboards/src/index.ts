import { eventProcessing } from "./event-processing";
import { reminderScheduling } from "./reminder-scheduling";
import { systemHealth } from "./system-health";
import { taskOperations } from "./task-operations";

/** Every dashboard we ship, by file name (without `.json`) in `dashboards/`. */
export const dashboards: Readonly<Record<string, Record<string, unknown>>> = {
  "task-operations": taskOperations,
  "event-processing": eventProcessing,
  "reminder-scheduling": reminderScheduling,
  "system-health": systemHealth,
};

/** The exact text committed as `dashboards/<name>.json`. */
export function renderDashboard(dash: Record<string, unknown>): string {
  return `${JSON.stringify(dash, null, 2)}\n`;
}
