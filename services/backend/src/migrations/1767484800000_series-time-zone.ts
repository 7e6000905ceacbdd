// Recurring series (README "Recurring series"): the zone a rule is evaluated in, each occurrence's
// slot, whether the series ended, and the completion event that created an occurrence (the key that
// makes "create the next occurrence" exactly once even after its parent was deleted).
interface SqlRunner {
  sql(statement: string): void;
}

export function up(pgm: SqlRunner): void {
  pgm.sql(`
    -- existing series were evaluated in UTC: say so explicitly
    ALTER TABLE tasks ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC' CHECK (char_length(time_zone) BETWEEN 1 AND 64);
    -- the rule's time of this occurrence; null reads as series_start (what a first occurrence has, and
    -- what rows inserted without it mean). Existing later occurrences were due at their slot.
    ALTER TABLE tasks ADD COLUMN series_slot timestamptz;
    UPDATE tasks SET series_slot = coalesce(due_at, created_at) WHERE series_index > 1;
    ALTER TABLE tasks ADD COLUMN series_ended boolean NOT NULL DEFAULT false;
    ALTER TABLE tasks ADD COLUMN created_by_event text UNIQUE;
  `);
}

export function down(pgm: SqlRunner): void {
  pgm.sql(`
    ALTER TABLE tasks DROP COLUMN created_by_event;
    ALTER TABLE tasks DROP COLUMN series_ended;
    ALTER TABLE tasks DROP COLUMN series_slot;
    ALTER TABLE tasks DROP COLUMN time_zone;
  `);
}
