import type { MigrationBuilder } from "node-pg-migrate";

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    CREATE TABLE reminders (
      task_id        uuid PRIMARY KEY,
      user_id        uuid NOT NULL,
      remind_at      timestamptz,
      title          text NOT NULL DEFAULT '',
      state          text NOT NULL CHECK (state IN ('scheduled', 'fired', 'cancelled')),
      event_time     timestamptz NOT NULL,
      fired_at       timestamptz,
      correlation_id text NOT NULL,
      -- The sweep walks scheduled reminders least-recently-swept first, a bounded batch per tick.
      last_swept_at  timestamptz,
      updated_at     timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX reminders_sweep_idx ON reminders (last_swept_at NULLS FIRST) WHERE state = 'scheduled';

    CREATE TABLE processed_events (
      consumer      text NOT NULL,
      event_id      text NOT NULL,
      processed_at  timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    );
  `);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql("DROP TABLE processed_events; DROP TABLE reminders;");
}
