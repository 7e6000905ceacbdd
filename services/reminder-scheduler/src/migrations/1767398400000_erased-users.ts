import type { MigrationBuilder } from "node-pg-migrate";

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    -- account.deleted: the user's reminders go (with their Dapr jobs); a reminder.scheduled of theirs
    -- still in flight on another partition arms nothing afterwards. Only the id is kept.
    CREATE TABLE erased_users (
      user_id uuid PRIMARY KEY,
      erased_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX reminders_user_idx ON reminders (user_id);
  `);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql("DROP INDEX reminders_user_idx; DROP TABLE erased_users;");
}
