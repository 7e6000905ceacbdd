export interface TableRef {
  schema: string;
  name: string;
}

/** A foreign key: rows of `from` reference rows of `to`. */
export interface ForeignKeyEdge {
  from: TableRef;
  to: TableRef;
}

const key = (t: TableRef) => `${t.schema}.${t.name}`;

/**
 * The order to load tables in so that every referenced table is filled before the tables that reference
 * it (the constraints stay on during the restore; nothing needs superuser rights to switch them off).
 * Stable: among tables that are free to go, the input order is kept. A self-reference (tasks.parent_task_id)
 * is no edge: PostgreSQL checks a non-deferrable foreign key at the end of the statement, so one COPY
 * may carry both a row and the row it points to. A cycle between two tables has no such order and is
 * refused by name.
 */
export function loadOrder<T extends TableRef>(tables: readonly T[], foreignKeys: readonly ForeignKeyEdge[]): T[] {
  const byKey = new Map(tables.map((t) => [key(t), t]));
  const dependsOn = new Map(tables.map((t) => [key(t), new Set<string>()]));
  for (const fk of foreignKeys) {
    const from = key(fk.from);
    const to = key(fk.to);
    if (from === to || !byKey.has(from) || !byKey.has(to)) continue;
    dependsOn.get(from)!.add(to);
  }
  const done = new Set<string>();
  const ordered: T[] = [];
  while (ordered.length < tables.length) {
    const next = tables.find((t) => !done.has(key(t)) && [...dependsOn.get(key(t))!].every((d) => done.has(d)));
    if (!next) {
      const stuck = tables.filter((t) => !done.has(key(t))).map(key);
      throw new Error(`foreign keys form a cycle between ${stuck.join(", ")}: no load order exists`);
    }
    done.add(key(next));
    ordered.push(next);
  }
  return ordered;
}
