import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { parseFileOption } from "../../src/backup/cli";
import {
  BackupFormatError,
  endLine,
  headerLine,
  magicLine,
  parseEndLine,
  parseHeaderLine,
  parseMagicLine,
  parseTableStartLine,
  tableStartLine,
  type BackupHeader,
} from "../../src/backup/format";
import { LineTooLongError, readLines } from "../../src/backup/lines";
import { loadOrder } from "../../src/backup/load-order";
import { parsePostmasterPid } from "../../src/backup/locate-database";
import { formatProgress, progressPrinter } from "../../src/backup/progress";
import { planRestore, RestoreRefusedError, type TargetSchemaState } from "../../src/backup/restore-plan";

const header: BackupHeader = {
  createdAt: "2026-12-01T10:00:00.000Z",
  serverVersion: "18.1",
  schemas: [
    { name: "backend", migrations: ["1_initial", "2_more"] },
    { name: "notification", migrations: ["1_notifications"] },
  ],
  tables: [
    { schema: "backend", name: "users", columns: ["id", "email"], rows: 2 },
    { schema: "backend", name: "tasks", columns: ["id", "user_id"], rows: 3 },
    { schema: "notification", name: "notifications", columns: ["id", "seq"], rows: 1 },
  ],
  sequences: [{ schema: "notification", table: "notifications", column: "seq", lastValue: "9007199254740993", isCalled: true }],
};

async function collect(chunks: Array<string | Buffer>, max = 1024): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readLines(Readable.from(chunks), max)) out.push(line);
  return out;
}

describe("backup: file format", () => {
  it("when a header is written and read back, then it is the same, bigint sequence values included", () => {
    const back = parseHeaderLine(headerLine(header).trimEnd());
    assert.deepEqual(back, header);
    assert.equal(back.sequences[0]!.lastValue, "9007199254740993");
  });

  it("when the first line is another file or another format version, then it is refused by name", () => {
    parseMagicLine(magicLine().trimEnd());
    assert.throws(() => parseMagicLine("PGDMP"), /not a Todo Platform backup/);
    assert.throws(() => parseMagicLine("TODO-PLATFORM-BACKUP 2"), /format version "2" is not supported/);
  });

  it("when the header names a table outside the backed-up schemas or a bad field, then the error names it", () => {
    const stray = { ...header, tables: [{ schema: "elsewhere", name: "t", columns: ["a"], rows: 0 }] };
    assert.throws(() => parseHeaderLine(JSON.stringify(stray)), /elsewhere is not one of the backed-up schemas/);
    assert.throws(() => parseHeaderLine(JSON.stringify({ ...header, tables: [{ ...header.tables[0], rows: -1 }] })), /tables\.0\.rows/);
    assert.throws(() => parseHeaderLine("{not json"), BackupFormatError);
  });

  it("when the rows of another table come next, or the end counts other tables, then it is refused", () => {
    parseTableStartLine(tableStartLine(header.tables[1]!).trimEnd(), header.tables[1]!);
    assert.throws(() => parseTableStartLine(tableStartLine(header.tables[0]!).trimEnd(), header.tables[1]!), /expected the rows of backend\.tasks, found backend\.users/);
    parseEndLine(endLine(3).trimEnd(), 3);
    assert.throws(() => parseEndLine(endLine(2).trimEnd(), 3), /2 tables, the header lists 3/);
  });
});

describe("backup: reading lines from a stream", () => {
  it("when lines are cut across chunks, including inside a multi-byte character, then they come out whole", async () => {
    const text = Buffer.from("first\nsé\\\\cond\n\n\\.\nlast");
    const chunks = [text.subarray(0, 3), text.subarray(3, 8), text.subarray(8, 9), text.subarray(9)];
    assert.deepEqual(await collect(chunks), ["first", "sé\\\\cond", "", "\\.", "last"]);
  });

  it("when a line is longer than the bound, then the read stops instead of buffering it", async () => {
    await assert.rejects(collect(["x".repeat(600), "y".repeat(600), "\n"], 1000), LineTooLongError);
    await assert.rejects(collect(["z".repeat(1001) + "\n"], 1000), LineTooLongError);
    assert.deepEqual(await collect(["z".repeat(1000) + "\n"], 1000), ["z".repeat(1000)]);
  });
});

describe("backup: load order", () => {
  const t = (schema: string, name: string) => ({ schema, name });
  it("when tables reference others, then every referenced table comes first and the rest keep their order", () => {
    const tables = [t("b", "tasks"), t("b", "outbox"), t("b", "users"), t("n", "notifications")];
    const order = loadOrder(tables, [
      { from: t("b", "tasks"), to: t("b", "users") },
      { from: t("b", "tasks"), to: t("b", "tasks") }, // parent_task_id: one COPY carries both ends
    ]).map((x) => x.name);
    assert.deepEqual(order, ["outbox", "users", "tasks", "notifications"]);
  });

  it("when two tables reference each other, then no order exists and both are named", () => {
    assert.throws(() => loadOrder([t("s", "a"), t("s", "b")], [{ from: t("s", "a"), to: t("s", "b") }, { from: t("s", "b"), to: t("s", "a") }]), /cycle between s\.a, s\.b/);
  });
});

describe("backup: deciding a restore", () => {
  const local = new Map([
    ["backend", ["1_initial", "2_more", "3_newer"]],
    ["notification", ["1_notifications"]],
  ]);
  const fresh = new Map<string, TargetSchemaState>();

  it("when the target is fresh, then each schema is migrated exactly to the backup's migrations, not to the newest", () => {
    assert.deepEqual(planRestore(header, fresh, local), [
      { schema: "backend", migrationsToRun: 2 },
      { schema: "notification", migrationsToRun: 1 },
    ]);
  });

  it("when the target already ran some of them on empty tables, then only the rest are run", () => {
    const target = new Map([["backend", { appliedMigrations: ["1_initial"], nonEmptyTables: [] }]]);
    assert.equal(planRestore(header, target, local)[0]!.migrationsToRun, 1);
  });

  it("when a table of the target holds rows, then the restore is refused naming the tables", () => {
    const target = new Map([
      ["backend", { appliedMigrations: ["1_initial", "2_more"], nonEmptyTables: ["tasks", "users"] }],
      ["notification", { appliedMigrations: [], nonEmptyTables: ["notifications"] }],
    ]);
    assert.throws(() => planRestore(header, target, local), (err: Error) => {
      assert.ok(err instanceof RestoreRefusedError);
      assert.match(err.message, /the target database is not empty: backend\.tasks, backend\.users, notification\.notifications have rows/);
      assert.match(err.message, /nothing was changed/);
      return true;
    });
  });

  it("when the backup is at a migration this code does not have, or the target is beyond the backup, then it is refused", () => {
    assert.throws(() => planRestore(header, fresh, new Map([...local, ["backend", ["1_initial"]]])), /taken at migration 2_more, which this code base does not have/);
    assert.throws(() => planRestore(header, fresh, new Map([["backend", local.get("backend")!]])), /schema notification: no service of this code base owns it/);
    const ahead = new Map([["backend", { appliedMigrations: ["1_initial", "2_more", "3_newer"], nonEmptyTables: [] }]]);
    assert.throws(() => planRestore(header, ahead, local), /target is at migration 3_newer, beyond or beside the backup's 2_more/);
  });
});

describe("backup: progress and options", () => {
  it("when progress is formatted, then it shows tables, rows, size and the current table", () => {
    assert.equal(
      formatProgress({ verb: "backup", tablesDone: 3, tablesTotal: 11, rowsDone: 1204, rowsTotal: 5000, bytes: 98_500, current: "backend.tasks" }),
      "backup: 3/11 tables, 1,204/5,000 rows, 96.2 kB — backend.tasks",
    );
  });

  it("when not on a terminal, then one line per finished table; on a terminal, rewrites throttled in time", () => {
    const lines: string[] = [];
    const plain = progressPrinter((t) => lines.push(t), { tty: false });
    const p = { verb: "restore" as const, tablesDone: 0, tablesTotal: 2, rowsDone: 0, rowsTotal: 4, bytes: 10, current: "a.b" };
    plain.update(p);
    plain.update({ ...p, rowsDone: 2 });
    plain.update({ ...p, rowsDone: 2, tablesDone: 1 });
    plain.done();
    assert.deepEqual(lines, ["restore: 1/2 tables, 2/4 rows, 10 B\n"]);

    let clock = 0;
    const out: string[] = [];
    const tty = progressPrinter((t) => out.push(t), { tty: true, now: () => clock, intervalMs: 100 });
    tty.update(p);
    clock = 50;
    tty.update({ ...p, rowsDone: 1 }); // too soon
    clock = 150;
    tty.update({ ...p, rowsDone: 2 });
    tty.done();
    assert.equal(out.length, 3);
    assert.ok(out[1]!.startsWith("\r") && out[1]!.includes("2/4 rows"));
    assert.equal(out[2], "\n");
  });

  it("when postmaster.pid is read, then PID and port come from lines 1 and 4; a half-written file gives nothing", () => {
    assert.deepEqual(parsePostmasterPid("4242\n/data/postgres\n1764582000\n54321\n/tmp\n*\n  1234  5\nready   \n"), { pid: 4242, port: 54321 });
    assert.equal(parsePostmasterPid("4242\n/data/postgres\n"), undefined);
  });

  it("when the file option is missing, doubled with another or unknown, then the usage error names it", () => {
    assert.match(parseFileOption(["--out", "x.backup"], "out"), /\/x\.backup$/);
    assert.throws(() => parseFileOption([], "out"), /--out FILE is required/);
    assert.throws(() => parseFileOption(["--to", "x"], "out"), /Unknown option '--to'/);
    assert.throws(() => parseFileOption(["--from", ""], "from"), /--from: needs a file name/);
  });
});
