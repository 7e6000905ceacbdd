// Counters of the login/signup throttle (rate-limiter-flexible's RateLimiterPostgres layout: key, points,
// expire in epoch ms). In PostgreSQL rather than in memory because the backend runs several replicas and
// an attacker's attempts are spread over all of them by the Service. Keys are hashes (see
// data/auth-throttle.ts), so the table holds no email or address in clear.
interface SqlRunner {
  sql(statement: string): void;
}

export function up(pgm: SqlRunner): void {
  pgm.sql(`
    CREATE TABLE auth_throttle (
      key varchar(255) PRIMARY KEY,
      points integer NOT NULL DEFAULT 0,
      expire bigint
    );
    CREATE INDEX auth_throttle_expire ON auth_throttle (expire);
  `);
}

export function down(pgm: SqlRunner): void {
  pgm.sql("DROP TABLE auth_throttle;");
}
