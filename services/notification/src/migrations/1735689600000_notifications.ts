import type { MigrationBuilder } from "node-pg-migrate";

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE processed_events (
      consumer text NOT NULL,
      event_id text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    );

    CREATE TABLE notifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      -- insertion order: newest first and the page cursor, without ties between equal timestamps
      seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      user_id uuid NOT NULL,
      task_id uuid NOT NULL,
      remind_at timestamptz NOT NULL,
      channel text NOT NULL DEFAULT 'in-app',
      title text NOT NULL,
      message text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      read_at timestamptz,
      -- null until notification.sent was accepted by the sidecar; a redelivery publishes again
      published_at timestamptz,
      -- one notification per reminder, whatever the number of reminder.due events for it
      UNIQUE (task_id, remind_at)
    );
    CREATE INDEX notifications_user_newest ON notifications (user_id, seq DESC);
    CREATE INDEX notifications_user_unread ON notifications (user_id) WHERE read_at IS NULL;
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql("DROP TABLE notifications; DROP TABLE processed_events;");
}
