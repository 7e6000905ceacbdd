import assert from "node:assert/strict";
import { canonicalRule, checkSeriesRule, nextOccurrence, upcomingSlots, RecurrenceError, type CompletedOccurrence } from "../src/recurrence";

function rejects(rule: string, part: RegExp) {
  assert.throws(() => checkSeriesRule(rule, "UTC", new Date("2026-12-01T09:00:00Z")), (err: Error) => {
    assert.ok(err instanceof RecurrenceError, `${rule}: ${err}`);
    assert.match(err.message, part, rule);
    assert.doesNotMatch(err.message, /Cannot read|undefined|TypeError/);
    return true;
  });
}

function daily(o: Partial<CompletedOccurrence>): CompletedOccurrence {
  const start = "2026-12-01T09:00:00.000Z";
  return { recurrence: "FREQ=DAILY", timeZone: "UTC", seriesStart: start, seriesSlot: start, seriesIndex: 1, seriesEnded: false, dueAt: start, remindAt: null, completedAt: start, ...o };
}

describe("recurrence rules (shared module)", () => {
  it("when a part is out of its RFC 5545 range, then the error names the part (issue 12.5)", () => {
    for (const [rule, part] of [
      ["FREQ=YEARLY;BYMONTH=13", /BYMONTH/], ["FREQ=MONTHLY;BYMONTHDAY=32", /BYMONTHDAY/], ["FREQ=MONTHLY;BYMONTHDAY=0", /BYMONTHDAY/],
      ["FREQ=YEARLY;BYYEARDAY=367", /BYYEARDAY/], ["FREQ=YEARLY;BYWEEKNO=54", /BYWEEKNO/], ["FREQ=DAILY;BYHOUR=25", /BYHOUR/],
      ["FREQ=DAILY;BYMINUTE=61", /BYMINUTE/], ["FREQ=DAILY;BYSECOND=60", /BYSECOND/], ["FREQ=MONTHLY;BYDAY=MO;BYSETPOS=367", /BYSETPOS/],
      ["FREQ=WEEKLY;WKST=XX", /WKST/], ["FREQ=DAILY;COUNT=0", /COUNT/], ["FREQ=DAILY;INTERVAL=1000", /INTERVAL/],
      ["FREQ=DAILY;UNTIL=20260230", /UNTIL/], ["FREQ=DAILY;FOO=1", /unknown part/], ["FREQ=DAILY;FREQ=WEEKLY", /repeats FREQ/],
      ["FREQ=WEEKLY;BYDAY=1MO", /BYDAY ordinals/], ["FREQ=MONTHLY;BYDAY=6MO", /BYDAY ordinal/], ["FREQ=DAILY;BYSETPOS=1", /BYSETPOS needs/],
      ["FREQ=MINUTELY", /at most hourly/], ["FREQ=SECONDLY", /at most hourly/], ["FREQ=DAILY;BYHOUR=1,2,3,4,5,6,7,8;BYMINUTE=0,1,2,3,4,5,6,7", /times a day/],
    ] as const) rejects(rule, part);
  });

  it("when BYDAY holds an unknown day, then the message names BYDAY, not an internal error (issue 12.6)", () => {
    rejects("FREQ=YEARLY;BYDAY=XX", /BYDAY must be one of MO, TU/);
  });

  it("when a rule can never produce an occurrence, then it is refused quickly (issue 12.1)", () => {
    for (const rule of ["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", "FREQ=MONTHLY;BYMONTHDAY=1,2;BYSETPOS=-3", "FREQ=HOURLY;INTERVAL=2;BYHOUR=2"]) {
      rejects(rule, /never produces an occurrence/);
    }
  });

  it("when a rule's parts exclude each other or its INTERVAL skips every match, then it is refused as never matching (issue 12.1, the class)", () => {
    for (const rule of [
      // day parts no calendar day passes
      "FREQ=YEARLY;BYMONTH=4;BYYEARDAY=1", "FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6", "FREQ=YEARLY;BYYEARDAY=1,2,3,4,5;BYMONTHDAY=20",
      "FREQ=YEARLY;BYMONTH=2;BYDAY=5MO;BYMONTHDAY=1", "FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22",
      // BYSETPOS beyond the largest set of a period (6 weekdays × 53 = 318 days a year; 5 Mondays × 60 times a month)
      "FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA;BYSETPOS=-366", "FREQ=MONTHLY;BYDAY=MO,2MO;BYHOUR=0,1,2,3,4,5,6,7,8,9;BYMINUTE=0,10,20,30,40,50;BYSETPOS=301",
      // the 1st of December 2026 is a Tuesday, in December: INTERVAL never reaches a Monday, February, or 02:00
      "FREQ=DAILY;INTERVAL=7;BYDAY=MO", "FREQ=HOURLY;INTERVAL=168;BYDAY=MO", "FREQ=MONTHLY;INTERVAL=12;BYMONTH=2", "FREQ=HOURLY;INTERVAL=24;BYHOUR=2",
    ]) {
      rejects(rule, /never produces an occurrence/);
    }
  });

  it("when a rule matches rarely, then the search still finds it (the never checks refuse nothing real)", () => {
    const first = (rule: string, start: string) => upcomingSlots(rule, "UTC", new Date(start), 1).map((d) => d.toISOString());
    // 29 February 2028 is a Tuesday; the next 29 February on a Monday is in 2044
    assert.deepEqual(first("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29", "2026-12-01T09:00:00Z"), ["2028-02-29T09:00:00.000Z"]);
    assert.deepEqual(first("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", "2026-12-01T09:00:00Z"), ["2044-02-29T09:00:00.000Z"]);
    // every 7 days from a Tuesday on Tuesdays; every 12 months from December in December
    assert.deepEqual(first("FREQ=DAILY;INTERVAL=7;BYDAY=TU", "2026-12-01T09:00:00Z"), ["2026-12-08T09:00:00.000Z"]);
    assert.deepEqual(first("FREQ=MONTHLY;INTERVAL=12;BYMONTH=12", "2026-12-01T09:00:00Z"), ["2027-12-01T09:00:00.000Z"]);
    // the 5th Monday of a month exists (2026-11-30); a year's 53rd Monday too (2029 starts on a Monday)
    assert.deepEqual(first("FREQ=MONTHLY;BYDAY=5MO", "2026-11-01T09:00:00Z"), ["2026-11-30T09:00:00.000Z"]);
    assert.deepEqual(first("FREQ=YEARLY;BYDAY=MO;BYSETPOS=53", "2026-12-01T09:00:00Z"), ["2029-12-31T09:00:00.000Z"]);
  });

  it("when BYSETPOS counts a period that began before the series, then the days before DTSTART count in its set (RFC 5545 §3.3.10)", () => {
    // the Thursdays of 2021 start on 7 January: the 42nd is 21 October, the last 30 December
    const slots = upcomingSlots("FREQ=YEARLY;BYDAY=TH;BYSETPOS=42,-1", "UTC", new Date("2021-01-19T09:00:00Z"), 2);
    assert.deepEqual(slots.map((d) => d.toISOString()), ["2021-10-21T09:00:00.000Z", "2021-12-30T09:00:00.000Z"]);
    rejects("FREQ=DAILY;UNTIL=20200101T000000Z", /UNTIL is before/);
  });

  it("when a rule is valid, then it comes back in canonical form", () => {
    assert.equal(canonicalRule("rrule:freq=weekly;byday=we,mo"), "FREQ=WEEKLY;BYDAY=WE,MO");
    assert.equal(canonicalRule("FREQ=MONTHLY;BYSETPOS=-1;BYMONTHDAY=31,30,29,28"), "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1");
  });

  it("when the series started in year 1, then completing finds the next slot at once (issue 12.2)", () => {
    const t0 = Date.now();
    const next = nextOccurrence(daily({ recurrence: "FREQ=HOURLY", seriesStart: "0001-01-01T00:00:00.000Z", seriesSlot: "0001-01-01T00:00:00.000Z", dueAt: null, completedAt: "2026-12-01T10:30:00.000Z" }));
    assert.deepEqual("dueAt" in next && next.dueAt, "2026-12-01T11:00:00.000Z");
    assert.ok(Date.now() - t0 < 2000, "bounded (the backlog walk took 23 s)");
  });

  it("when a series starts in a year below 100, then it stays there (rrule reads such years as 19xx)", () => {
    assert.deepEqual(upcomingSlots("FREQ=WEEKLY;BYDAY=MO", "UTC", new Date("0001-01-01T00:00:00Z"), 2).map((d) => d.toISOString()), ["0001-01-08T00:00:00.000Z", "0001-01-15T00:00:00.000Z"]);
  });

  it("when occurrence #2 was moved to 07:00 and completed, then #3 is the next day's 09:00, not 09:00 the same day (18.3)", () => {
    const next = nextOccurrence(daily({ seriesSlot: "2026-12-02T09:00:00.000Z", seriesIndex: 2, dueAt: "2026-12-02T07:00:00.000Z", completedAt: "2026-12-02T07:05:00.000Z" }));
    assert.equal("dueAt" in next && next.dueAt, "2026-12-03T09:00:00.000Z");
  });

  it("when an overdue COUNT=3 series is completed, then it still gives 3 occurrences (18.5)", () => {
    let o = daily({ recurrence: "FREQ=DAILY;COUNT=3", completedAt: "2026-12-20T12:00:00.000Z" });
    const due: string[] = [];
    for (;;) {
      const next = nextOccurrence(o);
      if ("ended" in next) {
        assert.equal(next.ended, "count");
        break;
      }
      due.push(next.dueAt);
      o = { ...o, seriesSlot: next.seriesSlot, seriesIndex: next.seriesIndex, dueAt: next.dueAt, completedAt: "2026-12-20T12:00:00.000Z" };
    }
    assert.deepEqual(due, ["2026-12-21T09:00:00.000Z", "2026-12-22T09:00:00.000Z"], "2 more after the first: 3 in all");
  });

  it("when the monthly preset's rule runs from the 31st, then shorter months get their last day while raw BYMONTHDAY=31 keeps RFC semantics (18.4)", () => {
    const jan31 = "2027-01-31T10:00:00.000Z";
    const next = (recurrence: string) => nextOccurrence(daily({ recurrence, seriesStart: jan31, seriesSlot: jan31, dueAt: jan31, completedAt: jan31 }));
    assert.equal((next("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1") as { dueAt: string }).dueAt, "2027-02-28T10:00:00.000Z");
    assert.equal((next("FREQ=MONTHLY") as { dueAt: string }).dueAt, "2027-03-31T10:00:00.000Z");
  });

  it("when the user ended the series, then there is no next occurrence", () => {
    assert.deepEqual(nextOccurrence(daily({ seriesEnded: true })), { ended: "by-user" });
  });
});
