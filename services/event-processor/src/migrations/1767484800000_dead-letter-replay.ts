import type { MigrationBuilder } from "node-pg-migrate";

/** Dead-letter replay (issue 14): when a letter was last re-published, and how often. */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    ALTER TABLE dead_letters
      ADD COLUMN replayed_at timestamptz,
      ADD COLUMN replay_count integer NOT NULL DEFAULT 0;
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql("ALTER TABLE dead_letters DROP COLUMN replayed_at, DROP COLUMN replay_count;");
}
