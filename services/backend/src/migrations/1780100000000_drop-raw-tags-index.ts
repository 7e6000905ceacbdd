// The GIN index over the raw tags (initial schema) serves no query: the tag filter matches
// backend.fold_tags(tags) (data/tasks.ts, listTasks), which only tasks_tags_folded can answer — an
// index over `tags` cannot match that expression (EXPLAIN of the list queries picks tasks_tags_folded
// or a user_id index, never tasks_tags), and the export, history, change feed and backup read by
// user_id, id or a sequential COPY. It was still maintained on every create and tag edit.
interface SqlRunner {
  sql(statement: string): void;
}

export function up(pgm: SqlRunner): void {
  pgm.sql("DROP INDEX tasks_tags;");
}

export function down(pgm: SqlRunner): void {
  pgm.sql("CREATE INDEX tasks_tags ON tasks USING gin (tags);");
}
