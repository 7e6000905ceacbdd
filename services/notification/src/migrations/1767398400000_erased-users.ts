import type { MigrationBuilder } from "node-pg-migrate";

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    -- account.deleted: the user's notifications go; a reminder.due of theirs still in flight notifies
    -- nobody afterwards. Only the id is kept.
    CREATE TABLE erased_users (
      user_id uuid PRIMARY KEY,
      erased_at timestamptz NOT NULL DEFAULT now()
    );
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql("DROP TABLE erased_users;");
}
