import assert from "node:assert/strict";
import { InvalidRecurrenceError, nextOccurrence, type CompletedOccurrence } from "../src/domain/next-occurrence";

function occurrence(overrides: Partial<CompletedOccurrence>): CompletedOccurrence {
  return {
    recurrence: "FREQ=DAILY",
    seriesStart: "2024-03-01T09:00:00.000Z",
    dueAt: "2024-03-01T09:00:00.000Z",
    createdAt: "2024-02-28T12:00:00.000Z",
    remindAt: null,
    completedAt: "2024-03-01T08:00:00.000Z",
    ...overrides,
  };
}

describe("nextOccurrence (pure)", () => {
  it("when a daily task is completed before it is due, then the next one is due one day later", () => {
    assert.deepEqual(nextOccurrence(occurrence({})), { dueAt: "2024-03-02T09:00:00.000Z", remindAt: null });
  });

  it("when the rule carries an RRULE: prefix and a DTSTART line, then only the RRULE line counts", () => {
    const next = nextOccurrence(occurrence({ recurrence: "DTSTART:19990101T000000Z\nRRULE:FREQ=DAILY;INTERVAL=2" }));
    assert.equal(next?.dueAt, "2024-03-03T09:00:00.000Z");
  });

  it("when a weekly BYDAY=MO,WE,FR task due on a Wednesday is completed, then the next is the Friday", () => {
    // 2024-03-06 is a Wednesday
    const next = nextOccurrence(
      occurrence({
        recurrence: "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR",
        seriesStart: "2024-03-04T07:30:00.000Z",
        dueAt: "2024-03-06T07:30:00.000Z",
        completedAt: "2024-03-06T07:00:00.000Z",
      }),
    );
    assert.equal(next?.dueAt, "2024-03-08T07:30:00.000Z");
    // and from the Friday the week wraps to Monday
    const wrap = nextOccurrence(
      occurrence({ recurrence: "FREQ=WEEKLY;BYDAY=MO,WE,FR", seriesStart: "2024-03-04T07:30:00.000Z", dueAt: "2024-03-08T07:30:00.000Z", completedAt: "2024-03-08T07:31:00.000Z" }),
    );
    assert.equal(wrap?.dueAt, "2024-03-11T07:30:00.000Z");
  });

  it("when a monthly task on the 31st is completed in January, then months without a 31st are skipped", () => {
    const next = nextOccurrence(
      occurrence({ recurrence: "FREQ=MONTHLY", seriesStart: "2024-01-31T10:00:00.000Z", dueAt: "2024-01-31T10:00:00.000Z", completedAt: "2024-01-31T11:00:00.000Z" }),
    );
    assert.equal(next?.dueAt, "2024-03-31T10:00:00.000Z");
  });

  it("when a monthly BYMONTHDAY=15 task is completed, then the next is the 15th of the next month", () => {
    const next = nextOccurrence(
      occurrence({ recurrence: "FREQ=MONTHLY;BYMONTHDAY=15", seriesStart: "2024-01-15T00:00:00.000Z", dueAt: "2024-02-15T00:00:00.000Z", completedAt: "2024-02-14T23:00:00.000Z" }),
    );
    assert.equal(next?.dueAt, "2024-03-15T00:00:00.000Z");
  });

  it("when the COUNT of the series is exhausted, then there is no next occurrence", () => {
    // COUNT=3 from 03-01: 03-01, 03-02, 03-03 — completing the third ends the series
    assert.equal(nextOccurrence(occurrence({ recurrence: "FREQ=DAILY;COUNT=3", dueAt: "2024-03-03T09:00:00.000Z", completedAt: "2024-03-03T09:00:00.000Z" })), null);
    // ...while completing the second still yields the third (COUNT counts from the series start)
    assert.equal(
      nextOccurrence(occurrence({ recurrence: "FREQ=DAILY;COUNT=3", dueAt: "2024-03-02T09:00:00.000Z", completedAt: "2024-03-02T09:00:00.000Z" }))?.dueAt,
      "2024-03-03T09:00:00.000Z",
    );
  });

  it("when UNTIL has passed, then there is no next occurrence", () => {
    const rule = "FREQ=DAILY;UNTIL=20240305T090000Z";
    assert.equal(nextOccurrence(occurrence({ recurrence: rule, dueAt: "2024-03-05T09:00:00.000Z", completedAt: "2024-03-05T10:00:00.000Z" })), null);
    // completed late: the occurrences left before UNTIL are already in the past
    assert.equal(nextOccurrence(occurrence({ recurrence: rule, dueAt: "2024-03-02T09:00:00.000Z", completedAt: "2024-03-06T00:00:00.000Z" })), null);
    assert.equal(nextOccurrence(occurrence({ recurrence: rule, dueAt: "2024-03-04T09:00:00.000Z", completedAt: "2024-03-04T10:00:00.000Z" }))?.dueAt, "2024-03-05T09:00:00.000Z");
  });

  it("when a task is completed late, then the occurrences already past are skipped", () => {
    const next = nextOccurrence(occurrence({ dueAt: "2024-03-01T09:00:00.000Z", completedAt: "2024-03-05T12:00:00.000Z" }));
    assert.equal(next?.dueAt, "2024-03-06T09:00:00.000Z");
  });

  it("when a task is completed exactly at the next occurrence, then that occurrence is skipped (strictly after)", () => {
    const next = nextOccurrence(occurrence({ dueAt: "2024-03-01T09:00:00.000Z", completedAt: "2024-03-02T09:00:00.000Z" }));
    assert.equal(next?.dueAt, "2024-03-03T09:00:00.000Z");
  });

  it("when the completed task had a reminder, then the new one keeps the same offset (also across months)", () => {
    const daily = nextOccurrence(occurrence({ remindAt: "2024-03-01T08:45:00.000Z" }));
    assert.deepEqual(daily, { dueAt: "2024-03-02T09:00:00.000Z", remindAt: "2024-03-02T08:45:00.000Z" });
    const monthly = nextOccurrence(
      occurrence({ recurrence: "FREQ=MONTHLY", seriesStart: "2024-01-01T09:00:00.000Z", dueAt: "2024-01-01T09:00:00.000Z", remindAt: "2023-12-31T09:00:00.000Z", completedAt: "2024-01-01T10:00:00.000Z" }),
    );
    assert.deepEqual(monthly, { dueAt: "2024-02-01T09:00:00.000Z", remindAt: "2024-01-31T09:00:00.000Z" });
  });

  it("when the task has no dueAt, then its createdAt is the occurrence and the reminder offset is kept from it", () => {
    const next = nextOccurrence(
      occurrence({ seriesStart: "2024-03-01T12:00:00.000Z", dueAt: null, createdAt: "2024-03-01T12:00:00.000Z", remindAt: "2024-03-01T12:30:00.000Z", completedAt: "2024-03-01T13:00:00.000Z" }),
    );
    assert.deepEqual(next, { dueAt: "2024-03-02T12:00:00.000Z", remindAt: "2024-03-02T12:30:00.000Z" });
  });

  it("when times arrive with a non-UTC offset, then they are read as instants and returned in UTC", () => {
    const next = nextOccurrence(
      occurrence({ seriesStart: "2024-03-01T10:00:00+01:00", dueAt: "2024-03-01T10:00:00+01:00", remindAt: "2024-03-01T09:30:00+01:00", completedAt: "2024-03-01T04:00:00-05:00" }),
    );
    assert.deepEqual(next, { dueAt: "2024-03-02T09:00:00.000Z", remindAt: "2024-03-02T08:30:00.000Z" });
  });

  it("when a weekly rule's BYDAY is read in UTC, then a start late on Sunday in UTC counts as Sunday", () => {
    // 2024-03-03T23:30Z is a Sunday in UTC (Monday in Europe): the series stays in UTC
    const next = nextOccurrence(
      occurrence({ recurrence: "FREQ=WEEKLY;BYDAY=SU", seriesStart: "2024-03-03T23:30:00.000Z", dueAt: "2024-03-03T23:30:00.000Z", completedAt: "2024-03-03T23:40:00.000Z" }),
    );
    assert.equal(next?.dueAt, "2024-03-10T23:30:00.000Z");
  });

  it("when the recurrence is not an RRULE, then it fails as invalid (never retried)", () => {
    for (const bad of ["garbage", "", "INTERVAL=2", "FREQ=WEEKLY;BYDAY=XX"]) {
      assert.throws(() => nextOccurrence(occurrence({ recurrence: bad })), InvalidRecurrenceError, bad);
    }
  });
});
