import type pg from "pg";
import { preparedStatement } from "./prepared-statement";
import { inTransaction } from "./pool";

/**
 * Runs a consumer's database side effect at most once per CloudEvent id: the processed id is recorded
 * in the same transaction as the effect, so a redelivery (or a second replica racing on the same event)
 * finds the row and does nothing. Requires, in the service's schema:
 *   CREATE TABLE processed_events (consumer text, event_id text, processed_at timestamptz DEFAULT now(),
 *                                  PRIMARY KEY (consumer, event_id));
 */
// Unqualified: each service's connections resolve it in their own schema (search_path), and a
// prepared statement is per connection.
const RECORD_PROCESSED = preparedStatement("record-processed-event", "INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING");

export async function oncePerEvent(
  pool: pg.Pool,
  consumer: string,
  eventId: string,
  effect: (client: pg.PoolClient) => Promise<void>,
): Promise<"success" | "duplicate"> {
  return inTransaction(pool, async (client) => {
    const inserted = await client.query(RECORD_PROCESSED([consumer, eventId]));
    if (inserted.rowCount === 0) return "duplicate";
    await effect(client);
    return "success";
  });
}
