import { readFileSync } from "node:fs";
import { join } from "node:path";

export const BACKUP_SCRIPT = join(__dirname, "scripts", "postgres-backup.sh");

/** What the backup script is rendered with. */
export interface BackupScriptOptions {
  /** Object Storage bucket (OCI: 1–256 of letters, digits, `-`, `_`, `.`). */
  bucket: string;
  /** Daily copies kept (the newest ones). */
  keepDaily: number;
  /** Weekly copies kept. */
  keepWeekly: number;
  /** ISO weekday (1 = Monday … 7 = Sunday) whose dump is also kept as the week's copy. */
  weeklyDay: number;
}

/** Checks the values before they go into shell text: a bad one names its key. */
export function backupScriptProblems(o: BackupScriptOptions): string[] {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9._-]{1,256}$/.test(o.bucket)) problems.push(`bucket: ${JSON.stringify(o.bucket)} is not an Object Storage bucket name`);
  for (const [key, v, max] of [["keepDaily", o.keepDaily, 366], ["keepWeekly", o.keepWeekly, 520]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > max) problems.push(`${key}: ${v} is not an integer in 1..${max}`);
  }
  if (!Number.isInteger(o.weeklyDay) || o.weeklyDay < 1 || o.weeklyDay > 7) problems.push(`weeklyDay: ${o.weeklyDay} is not an ISO weekday 1..7`);
  return problems;
}

/** The script of components/backup/scripts/postgres-backup.sh with its values filled in. */
export function renderBackupScript(o: BackupScriptOptions): string {
  const problems = backupScriptProblems(o);
  if (problems.length) throw new Error(`backup script: ${problems.join("; ")}`);
  const values: Record<string, string> = { BUCKET: o.bucket, KEEP_DAILY: String(o.keepDaily), KEEP_WEEKLY: String(o.keepWeekly), WEEKLY_DAY: String(o.weeklyDay) };
  const text = readFileSync(BACKUP_SCRIPT, "utf8").replace(/@([A-Z_]+)@/g, (m, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`backup script: unknown placeholder ${m}`);
    return v;
  });
  return text;
}
