import assert from "node:assert/strict";
import { fromFloating, nextOccurrence, toFloating, type CompletedOccurrence } from "../src/recurrence";
import { zoneCases } from "./recurrence-cases";

function local(iso: string, zone: string): string {
  return toFloating(new Date(iso), zone).toISOString().slice(0, 19);
}

function occurrence(o: Partial<CompletedOccurrence> & { recurrence: string; timeZone: string; seriesStart: string }): CompletedOccurrence {
  return { seriesSlot: o.seriesStart, seriesIndex: 1, seriesEnded: false, dueAt: o.seriesStart, remindAt: null, completedAt: o.seriesStart, ...o };
}

describe("recurrence in time zones (shared module)", () => {
  it("when a weekly Monday 20:00 Los Angeles task is completed, then the next is Monday 20:00 there (issue 17)", () => {
    const start = new Date("2026-12-07T20:00:00-08:00").toISOString();
    const next = nextOccurrence(occurrence({ recurrence: "FREQ=WEEKLY;BYDAY=MO", timeZone: "America/Los_Angeles", seriesStart: start }));
    assert.ok("dueAt" in next);
    assert.equal(local(next.dueAt, "America/Los_Angeles"), "2026-12-14T20:00:00");
    assert.equal(new Date(next.dueAt).getUTCDay(), 2, "a Tuesday in UTC, a Monday in Los Angeles");
  });

  it("when a daily 09:00 Berlin task is completed the day before spring forward, then the next is 09:00 Berlin (issue 17)", () => {
    const start = new Date("2027-03-27T09:00:00+01:00").toISOString();
    const next = nextOccurrence(occurrence({ recurrence: "FREQ=DAILY", timeZone: "Europe/Berlin", seriesStart: start }));
    assert.ok("dueAt" in next);
    assert.equal(local(next.dueAt, "Europe/Berlin"), "2027-03-28T09:00:00");
    assert.equal(next.dueAt, "2027-03-28T07:00:00.000Z");
  });

  for (const c of zoneCases) {
    it(`when ${c.rule} runs in ${c.zone} from ${c.startLocal}, then its slots are ${c.expectLocal.join(", ")} local`, () => {
      const start = fromFloating(new Date(`${c.startLocal}Z`), c.zone).toISOString();
      let o = occurrence({ recurrence: c.rule, timeZone: c.zone, seriesStart: start });
      const got: string[] = [];
      for (let i = 0; i < c.expectLocal.length; i++) {
        const next = nextOccurrence(o);
        assert.ok("dueAt" in next, `occurrence ${i + 2} exists`);
        got.push(local(next.dueAt, c.zone));
        o = { ...o, seriesSlot: next.seriesSlot, seriesIndex: next.seriesIndex, dueAt: next.dueAt, completedAt: next.dueAt };
      }
      assert.deepEqual(got, c.expectLocal);
    });
  }

  it("when a local time falls in the spring-forward gap, then it is read with the offset before the gap (RFC 5545 §3.3.5)", () => {
    assert.equal(fromFloating(new Date("2027-03-28T02:30:00Z"), "Europe/Berlin").toISOString(), "2027-03-28T01:30:00.000Z");
    assert.equal(local("2027-03-28T01:30:00Z", "Europe/Berlin"), "2027-03-28T03:30:00");
  });

  it("when a local time occurs twice at fall back, then the first occurrence is meant", () => {
    assert.equal(fromFloating(new Date("2027-10-31T02:30:00Z"), "Europe/Berlin").toISOString(), "2027-10-31T00:30:00.000Z");
  });

  it("when a reminder is 1 hour before the due time, then it stays 1 hour before the local due time across DST", () => {
    const start = new Date("2027-03-27T09:00:00+01:00").toISOString();
    const next = nextOccurrence(
      occurrence({ recurrence: "FREQ=DAILY", timeZone: "Europe/Berlin", seriesStart: start, remindAt: new Date("2027-03-27T08:00:00+01:00").toISOString() }),
    );
    assert.ok("dueAt" in next);
    assert.equal(local(next.remindAt!, "Europe/Berlin"), "2027-03-28T08:00:00");
    assert.equal(next.remindAt, "2027-03-28T06:00:00.000Z");
  });
});
