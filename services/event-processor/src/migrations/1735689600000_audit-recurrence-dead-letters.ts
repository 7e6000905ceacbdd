import type { MigrationBuilder } from "node-pg-migrate";

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE processed_events (
      consumer text NOT NULL,
      event_id text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    );

    -- The audit trail: one row per task event, whatever the number of deliveries.
    CREATE TABLE audit_events (
      event_id text PRIMARY KEY,
      task_id uuid NOT NULL,
      user_id uuid NOT NULL,
      type text NOT NULL,
      at timestamptz NOT NULL,
      task_version integer NOT NULL,
      correlation_id text NOT NULL,
      data jsonb NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX audit_events_task_user ON audit_events (task_id, user_id, at, task_version);

    -- Poison events, as they arrived, for an operator to inspect.
    CREATE TABLE dead_letters (
      id bigserial PRIMARY KEY,
      dedupe_key text NOT NULL UNIQUE,
      event_id text,
      topic text NOT NULL,
      type text,
      payload jsonb NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX dead_letters_received ON dead_letters (received_at DESC, id DESC);
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql("DROP TABLE dead_letters; DROP TABLE audit_events; DROP TABLE processed_events;");
}
