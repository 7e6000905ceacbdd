import type { MigrationBuilder } from "node-pg-migrate";

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    -- Accounts erased (account.deleted): their audit rows are deleted, and a task event of theirs still
    -- in flight on another partition is not recorded afterwards. Only the id is kept.
    CREATE TABLE erased_users (
      user_id uuid PRIMARY KEY,
      erased_at timestamptz NOT NULL DEFAULT now()
    );
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql("DROP TABLE erased_users;");
}
