import { z } from "zod";

/**
 * The backup file, version 1 — gzip-compressed UTF-8 text, read and written as a stream:
 *
 *   TODO-PLATFORM-BACKUP 1\n          magic line: what the file is and its format version
 *   {header JSON}\n                   BackupHeader: schemas with their migrations, tables in load order
 *                                     (columns, row count), sequences — all read in the dump's snapshot
 *   {"table":"<schema>.<name>"}\n     then, per table in the header's order:
 *   <COPY text-format rows>\n           the rows exactly as `COPY … TO STDOUT` wrote them
 *   \.\n                                end of the table's rows
 *   {"end":true,"tables":N}\n         the last line: a file cut short never restores half a database
 *
 * `\.` alone on a line can never be a row: COPY's text format writes a backslash in the data as `\\`,
 * which is why PostgreSQL itself uses that line as its end-of-data marker
 * (https://www.postgresql.org/docs/current/sql-copy.html, "Text Format").
 */
export const BACKUP_MAGIC = "TODO-PLATFORM-BACKUP";
export const BACKUP_FORMAT_VERSION = 1;
export const END_OF_ROWS = "\\.";

const identifier = z.string().min(1).max(63);

export const backupTableSchema = z.object({
  schema: identifier,
  name: identifier,
  /** Stored columns in attribute order; generated columns are left out (the target computes them). */
  columns: z.array(identifier).min(1),
  /** Rows in the snapshot; the restore checks it loaded exactly these. */
  rows: z.number().int().min(0),
});
export type BackupTable = z.infer<typeof backupTableSchema>;

export const backupSequenceSchema = z.object({
  schema: identifier,
  table: identifier,
  column: identifier,
  /** bigint as a decimal string: JSON numbers lose precision above 2^53. */
  lastValue: z.string().regex(/^-?\d{1,19}$/),
  isCalled: z.boolean(),
});
export type BackupSequence = z.infer<typeof backupSequenceSchema>;

export const backupHeaderSchema = z.object({
  createdAt: z.iso.datetime({ offset: true }),
  /** `server_version` of the source, for the operator reading the file. */
  serverVersion: z.string().max(200),
  /** One per service schema, with the migrations applied in it (oldest first). */
  schemas: z.array(z.object({ name: identifier, migrations: z.array(z.string().min(1).max(255)) })).min(1),
  /** In load order: a table comes after every table its foreign keys reference. */
  tables: z.array(backupTableSchema),
  sequences: z.array(backupSequenceSchema),
});
export type BackupHeader = z.infer<typeof backupHeaderSchema>;

const tableStartSchema = z.object({ table: z.string().min(1) });
const endSchema = z.object({ end: z.literal(true), tables: z.number().int().min(0) });

export class BackupFormatError extends Error {
  override name = "BackupFormatError";
}

export const qualifiedName = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`;

export function magicLine(): string {
  return `${BACKUP_MAGIC} ${BACKUP_FORMAT_VERSION}\n`;
}

/** Checks the first line; a newer format or a file that is no backup at all is refused by name. */
export function parseMagicLine(line: string): void {
  const [magic, version] = line.split(" ");
  if (magic !== BACKUP_MAGIC) throw new BackupFormatError(`not a Todo Platform backup (first line ${JSON.stringify(line.slice(0, 40))})`);
  if (version !== String(BACKUP_FORMAT_VERSION)) {
    throw new BackupFormatError(`backup format version ${JSON.stringify(version)} is not supported (this version reads ${BACKUP_FORMAT_VERSION})`);
  }
}

export function headerLine(header: BackupHeader): string {
  return `${JSON.stringify(backupHeaderSchema.parse(header))}\n`;
}

function parseJsonLine<T>(line: string, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new BackupFormatError(`${what}: not JSON (${JSON.stringify(line.slice(0, 60))})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(line)"}: ${i.message}`).join("; ");
    throw new BackupFormatError(`${what}: ${problems}`);
  }
  return parsed.data;
}

export function parseHeaderLine(line: string): BackupHeader {
  const header = parseJsonLine(line, backupHeaderSchema, "backup header");
  const schemas = new Set(header.schemas.map((s) => s.name));
  for (const t of [...header.tables, ...header.sequences]) {
    if (!schemas.has(t.schema)) throw new BackupFormatError(`backup header: ${t.schema} is not one of the backed-up schemas`);
  }
  return header;
}

export function tableStartLine(table: BackupTable): string {
  return `${JSON.stringify({ table: qualifiedName(table) })}\n`;
}

/** The line that opens a table's rows must name the table the header lists next. */
export function parseTableStartLine(line: string, expected: BackupTable): void {
  const { table } = parseJsonLine(line, tableStartSchema, "table start");
  if (table !== qualifiedName(expected)) throw new BackupFormatError(`expected the rows of ${qualifiedName(expected)}, found ${table}`);
}

export function endLine(tables: number): string {
  return `${JSON.stringify({ end: true, tables })}\n`;
}

export function parseEndLine(line: string, expectedTables: number): void {
  const end = parseJsonLine(line, endSchema, "end of backup");
  if (end.tables !== expectedTables) throw new BackupFormatError(`end of backup: ${end.tables} tables, the header lists ${expectedTables}`);
}
