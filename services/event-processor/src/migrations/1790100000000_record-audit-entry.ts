import type { MigrationBuilder } from "node-pg-migrate";

/**
 * Recording an audit entry in one round trip instead of five (BEGIN, the processed-event insert, the
 * user's shared lock, the insert, COMMIT): a function called in its own implicit transaction. The
 * lock comes first and the insert is a statement of its own, so its snapshot is taken after the lock —
 * a VOLATILE function takes a fresh snapshot for each statement it runs (PostgreSQL 15 docs, "Function
 * Volatility Categories") — and an account erased before it (the erasure holds the exclusive lock,
 * audit-store.ts lockUserExclusive) is seen. audit_events' own key on event_id makes a redelivery a
 * no-op, so the processed_events row the audit consumer wrote as well is no longer needed.
 */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE FUNCTION record_audit_entry(p_event_id text, p_task_id uuid, p_user_id text, p_type text, p_at timestamptz,
                                       p_task_version integer, p_correlation_id text, p_data jsonb)
    RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock_shared(18, hashtext(p_user_id));
      INSERT INTO audit_events (event_id, task_id, user_id, type, at, task_version, correlation_id, data)
        SELECT p_event_id, p_task_id, p_user_id::uuid, p_type, p_at, p_task_version, p_correlation_id, p_data
         WHERE NOT EXISTS (SELECT 1 FROM erased_users WHERE user_id = p_user_id::uuid)
        ON CONFLICT (event_id) DO NOTHING;
      RETURN FOUND;
    END
    $$;
  `);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql("DROP FUNCTION record_audit_entry(text, uuid, text, text, timestamptz, integer, text, jsonb);");
}
