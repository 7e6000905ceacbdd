import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { loadRuntimeConfig } from "../config";
import { createLogger } from "../../../shared/src/telemetry/logger";
import { backupToFile, restoreFromFile } from "./backup-file";
import { locateDatabase } from "./locate-database";
import { formatBytes, progressPrinter } from "./progress";

export class UsageError extends Error {
  override name = "UsageError";
}

const fileArg = z.string().min(1, "needs a file name").max(4096);

/** `--out FILE` / `--from FILE`, nothing else; a missing or unknown option names itself. */
export function parseFileOption(argv: string[], option: "out" | "from"): string {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options: { [option]: { type: "string" } }, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}; usage: --${option} FILE`);
  }
  if (values[option] === undefined) throw new UsageError(`--${option} FILE is required`);
  const parsed = fileArg.safeParse(values[option]);
  if (!parsed.success) throw new UsageError(`--${option}: ${parsed.error.issues[0]!.message}; usage: --${option} FILE`);
  return resolve(parsed.data);
}

interface CliIo {
  env: NodeJS.ProcessEnv;
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

export async function backupCli(argv: string[], io: CliIo): Promise<void> {
  const file = parseFileOption(argv, "out");
  if (existsSync(file)) throw new UsageError(`${file} exists: choose a new file name (a backup is never overwritten)`);
  const cfg = loadRuntimeConfig(io.env);
  const db = await locateDatabase({ databaseUrl: cfg.DATABASE_URL, dataDir: cfg.DATA_DIR, mustExist: true, log: createLogger("backup", "warn") });
  try {
    io.stderr.write(`backing up ${db.description} to ${file}\n`);
    const printer = progressPrinter((t) => io.stderr.write(t), { tty: Boolean(io.stderr.isTTY) });
    const { header, bytes } = await backupToFile(db.url, file, (p) => printer.update(p));
    printer.done();
    const rows = header.tables.reduce((s, t) => s + t.rows, 0);
    io.stderr.write(`backup written: ${file} — ${header.schemas.length} schemas, ${header.tables.length} tables, ${rows} rows, ${formatBytes(bytes)}\n`);
  } finally {
    await db.release();
  }
}

export async function restoreCli(argv: string[], io: CliIo): Promise<void> {
  const file = parseFileOption(argv, "from");
  if (!existsSync(file)) throw new UsageError(`${file} does not exist`);
  const cfg = loadRuntimeConfig(io.env);
  const db = await locateDatabase({ databaseUrl: cfg.DATABASE_URL, dataDir: cfg.DATA_DIR, mustExist: false, log: createLogger("restore", "warn") });
  try {
    io.stderr.write(`restoring ${file} into ${db.description}\n`);
    const printer = progressPrinter((t) => io.stderr.write(t), { tty: Boolean(io.stderr.isTTY) });
    const header = await restoreFromFile(db.url, file, (p) => printer.update(p));
    printer.done();
    const rows = header.tables.reduce((s, t) => s + t.rows, 0);
    io.stderr.write(`restored ${header.tables.length} tables, ${rows} rows (backup of ${header.createdAt}); start the platform with npm start\n`);
  } finally {
    await db.release();
  }
}

/** Runs a command and turns every known failure into one line and exit code 1. */
export function runCli(command: (argv: string[], io: CliIo) => Promise<void>): void {
  command(process.argv.slice(2), { env: process.env, stderr: process.stderr }).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`\n${err instanceof Error ? `${err.name === "Error" ? "error" : err.name}: ${err.message}` : String(err)}\n`);
      process.exit(1);
    },
  );
}
