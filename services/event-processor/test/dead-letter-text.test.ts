import assert from "node:assert/strict";
import pg from "pg";
import { createTestDatabase, stopTestDatabases, type TestDatabase } from "../../testing/database";
import { deadLetterOf, storableJsonText } from "../src/domain/dead-letter";

/** A dead letter is stored whatever it holds: one that jsonb refused would be retried forever. */
describe("event-processor: dead letters with text PostgreSQL cannot hold", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  before(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 1 });
  });
  after(async () => {
    await pool?.end();
    await stopTestDatabases();
  });

  it("when a dead letter carries NUL or lone surrogates in keys, values or its id, then its payload is valid jsonb and the rest is kept", async () => {
    const body = { id: "evt\u0000", type: "task.created", data: { title: "a\ud800b", "k\u0000ey": ["\udc00", "ok 😀"], literal: "\\u0000 and \\ud800 stay text" } };
    const letter = deadLetterOf(body);
    assert.equal(letter.eventId, null, "an id PostgreSQL cannot store is not used as one");
    const { rows } = await pool.query<{ doc: { data: Record<string, unknown> } }>("SELECT $1::jsonb AS doc", [letter.payload]);
    assert.equal(rows[0]!.doc.data.title, "a\ufffdb");
    assert.deepEqual(rows[0]!.doc.data.key, ["\ufffd", "ok 😀"]);
    assert.equal(rows[0]!.doc.data.literal, "\\u0000 and \\ud800 stay text");
  });

  it("when JSON text has escapes, then only the lone ones change", () => {
    assert.equal(storableJsonText(JSON.stringify("a\u0000b")), '"ab"');
    assert.equal(storableJsonText(JSON.stringify("\ud83d\ude00")), '"😀"');
    assert.equal(storableJsonText(JSON.stringify("\\u0000")), '"\\\\u0000"');
    assert.equal(storableJsonText(JSON.stringify("\\\u0000")), '"\\\\"');
  });
});
