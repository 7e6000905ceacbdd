import type { BackupHeader } from "./format";

/** What the target database holds in one of the backup's schemas. */
export interface TargetSchemaState {
  /** Names in the schema's `pgmigrations`, oldest first; empty when the schema or table does not exist. */
  appliedMigrations: string[];
  /** Tables of the schema (other than `pgmigrations`) that hold at least one row. */
  nonEmptyTables: string[];
}

export interface SchemaPlan {
  schema: string;
  /** Migrations of this code base to apply before the rows go in: the backup's, no more. */
  migrationsToRun: number;
}

export class RestoreRefusedError extends Error {
  override name = "RestoreRefusedError";
}

/**
 * Decides whether a backup can go into a target and what to migrate first; refuses with every
 * reason at once. The schema comes from the services' own migrations, replayed up to exactly the
 * migrations the backup was taken at, so the rows fit the tables they came from; the services apply
 * any newer migrations to the restored rows when they start, as they would have to the original data.
 */
export function planRestore(
  header: BackupHeader,
  target: ReadonlyMap<string, TargetSchemaState>,
  localMigrations: ReadonlyMap<string, readonly string[]>,
): SchemaPlan[] {
  const notEmpty: string[] = [];
  const problems: string[] = [];
  const plans: SchemaPlan[] = [];
  for (const { name, migrations } of header.schemas) {
    const state = target.get(name) ?? { appliedMigrations: [], nonEmptyTables: [] };
    notEmpty.push(...state.nonEmptyTables.map((t) => `${name}.${t}`));
    const local = localMigrations.get(name);
    if (!local) {
      problems.push(`schema ${name}: no service of this code base owns it (its migrations are not here)`);
      continue;
    }
    const unknown = migrations.findIndex((m, i) => local[i] !== m);
    if (unknown !== -1) {
      problems.push(`schema ${name}: the backup was taken at migration ${migrations[unknown]}, which this code base does not have in that place (a backup from another version?)`);
      continue;
    }
    const applied = state.appliedMigrations;
    if (applied.length > migrations.length || applied.some((m, i) => migrations[i] !== m)) {
      problems.push(`schema ${name}: the target is at migration ${applied.at(-1)}, beyond or beside the backup's ${migrations.at(-1) ?? "(none)"}`);
      continue;
    }
    plans.push({ schema: name, migrationsToRun: migrations.length - applied.length });
  }
  if (notEmpty.length > 0) {
    throw new RestoreRefusedError(
      `the target database is not empty: ${notEmpty.join(", ")} ${notEmpty.length === 1 ? "has" : "have"} rows. ` +
        "Restore into a fresh DATA_DIR or an empty DATABASE_URL database; nothing was changed.",
    );
  }
  if (problems.length > 0) throw new RestoreRefusedError(`cannot restore this backup here: ${problems.join("; ")}. Nothing was changed.`);
  return plans;
}
