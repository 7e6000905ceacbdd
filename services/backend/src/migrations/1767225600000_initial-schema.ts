// The backend's tables, in its own schema (node-pg-migrate sets search_path to it while migrating).
// Plain SQL rather than the builder DSL so the DDL reads exactly as PostgreSQL runs it.
interface SqlRunner {
  sql(statement: string): void;
}

export function up(pgm: SqlRunner): void {
  pgm.sql(`
    CREATE TABLE users (
      id uuid PRIMARY KEY,
      -- stored lower-cased, so uniqueness is case-insensitive
      email text NOT NULL UNIQUE CHECK (email = lower(email)),
      password_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE tasks (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
      description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed')),
      priority text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
      -- what "sort=priority" orders by: low < medium < high
      priority_rank smallint GENERATED ALWAYS AS (
        CASE priority WHEN 'low' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END
      ) STORED,
      tags text[] NOT NULL DEFAULT '{}',
      due_at timestamptz,
      remind_at timestamptz,
      recurrence text,
      -- a recurring series: the occurrences share series_id; series_start is the rule's DTSTART
      series_id uuid NOT NULL,
      series_index integer NOT NULL DEFAULT 1 CHECK (series_index >= 1),
      series_start timestamptz NOT NULL,
      -- the occurrence this one follows; UNIQUE makes "create the next occurrence" happen once
      parent_task_id uuid UNIQUE REFERENCES tasks (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      completed_at timestamptz,
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1)
    );

    -- keyset pagination: one index per sort key, each ending in id (the tie-breaker)
    CREATE INDEX tasks_user_created ON tasks (user_id, created_at, id);
    CREATE INDEX tasks_user_due ON tasks (user_id, due_at, id);
    CREATE INDEX tasks_user_priority ON tasks (user_id, priority_rank, id);
    CREATE INDEX tasks_user_title ON tasks (user_id, title, id);
    CREATE INDEX tasks_user_status ON tasks (user_id, status);
    CREATE INDEX tasks_tags ON tasks USING gin (tags);

    CREATE TABLE outbox (
      -- insertion order; the relay publishes by it
      seq bigserial PRIMARY KEY,
      event_id text NOT NULL UNIQUE,
      task_id uuid NOT NULL,
      type text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      sent_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      last_error text
    );
    CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
    CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;
  `);
}

export function down(pgm: SqlRunner): void {
  pgm.sql(`DROP TABLE outbox; DROP TABLE tasks; DROP TABLE users;`);
}
