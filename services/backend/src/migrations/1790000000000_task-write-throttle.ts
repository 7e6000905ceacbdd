// Counters of the per-user task write limit (rate-limiter-flexible's RateLimiterPostgres layout: key,
// points, expire in epoch ms; see data/task-write-throttle.ts). In PostgreSQL, as the login throttle's,
// because the backend runs several replicas: per-pod counters would give one user a budget per pod.
interface SqlRunner {
  sql(statement: string): void;
}

export function up(pgm: SqlRunner): void {
  pgm.sql(`
    CREATE TABLE task_write_throttle (
      key varchar(255) PRIMARY KEY,
      points integer NOT NULL DEFAULT 0,
      expire bigint
    );
    CREATE INDEX task_write_throttle_expire ON task_write_throttle (expire);
  `);
}

export function down(pgm: SqlRunner): void {
  pgm.sql("DROP TABLE task_write_throttle;");
}
