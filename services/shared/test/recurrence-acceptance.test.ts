import assert from "node:assert/strict";
import { applyReminderLead, canonicalTimeZone, fromFloating, nextOccurrence, RecurrenceError, reminderLead, toFloating, upcomingSlots, type CompletedOccurrence } from "../src/recurrence";

const at = (localIso: string, zone: string) => fromFloating(new Date(`${localIso}Z`), zone);
const local = (d: Date | string, zone: string) => toFloating(new Date(d), zone).toISOString().slice(0, 19);

/** The due and reminder times of the occurrences after `first`, completed one after another at their due time. */
function series(zone: string, rule: string, dueLocal: string, remindLocal: string, n: number): Array<[string, string]> {
  const start = at(dueLocal, zone).toISOString();
  let o: CompletedOccurrence = {
    recurrence: rule, timeZone: zone, seriesStart: start, seriesSlot: start, seriesIndex: 1, seriesEnded: false,
    dueAt: start, remindAt: at(remindLocal, zone).toISOString(), completedAt: start,
  };
  const out: Array<[string, string]> = [];
  for (let i = 0; i < n; i++) {
    const next = nextOccurrence(o);
    assert.ok("dueAt" in next && next.remindAt !== null);
    out.push([local(next.dueAt, zone), local(next.remindAt, zone)]);
    o = { ...o, seriesSlot: next.seriesSlot, seriesIndex: next.seriesIndex, dueAt: next.dueAt, remindAt: next.remindAt, completedAt: next.dueAt };
  }
  return out;
}

describe("recurrence: reminders keep their lead across DST (RFC 5545 §3.3.6: days nominal, time exact)", () => {
  it("when a daily 03:30 Berlin task reminds 1 hour before, then on the spring-forward day it is still 60 minutes before, and after it 02:30 again", () => {
    // 2027-03-28 02:00 CET → 03:00 CEST: 02:30 does not exist that day
    const got = series("Europe/Berlin", "FREQ=DAILY", "2027-03-27T03:30:00", "2027-03-27T02:30:00", 2);
    assert.deepEqual(got, [["2027-03-28T03:30:00", "2027-03-28T01:30:00"], ["2027-03-29T03:30:00", "2027-03-29T02:30:00"]]);
    const [due, remind] = [at("2027-03-28T03:30:00", "Europe/Berlin"), at("2027-03-28T01:30:00", "Europe/Berlin")];
    assert.equal(due.getTime() - remind.getTime(), 3_600_000, "one real hour before");
  });

  it("when a Lord Howe task reminds 30 minutes before 02:45, then it is 30 minutes before on the day of its 30-minute DST gap too", () => {
    // 2027-10-03 02:00 +10:30 → 02:30 +11: 02:15 does not exist that day
    const got = series("Australia/Lord_Howe", "FREQ=DAILY", "2027-10-02T02:45:00", "2027-10-02T02:15:00", 2);
    assert.deepEqual(got, [["2027-10-03T02:45:00", "2027-10-03T01:45:00"], ["2027-10-04T02:45:00", "2027-10-04T02:15:00"]]);
  });

  it("when a reminder is 1 day before at the same local time, then it stays at that local time the day before across both transitions", () => {
    assert.deepEqual(series("Europe/Berlin", "FREQ=WEEKLY;BYDAY=SU", "2027-03-21T09:00:00", "2027-03-20T09:00:00", 1), [["2027-03-28T09:00:00", "2027-03-27T09:00:00"]]);
    assert.deepEqual(series("America/New_York", "FREQ=WEEKLY;BYDAY=SU", "2027-10-31T09:00:00", "2027-10-30T09:00:00", 1), [["2027-11-07T09:00:00", "2027-11-06T09:00:00"]]);
  });

  it("when a lead is read back from a reminder it placed, then it is the same lead (later occurrences cannot drift)", () => {
    const zones = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Apia"];
    const dues = ["2027-03-28T03:30:00", "2027-10-31T02:30:00", "2027-11-07T01:30:00", "2027-10-03T02:45:00", "2011-12-31T09:00:00"];
    const leads = [{ days: 0, exactMs: 3_600_000 }, { days: 1, exactMs: 0 }, { days: 2, exactMs: 1_800_000 }, { days: 0, exactMs: -600_000 }, { days: -1, exactMs: 0 }];
    for (const zone of zones) {
      for (const d of dues) {
        const due = at(d, zone);
        for (const lead of leads) {
          const remind = applyReminderLead(due, lead, zone);
          assert.equal(applyReminderLead(due, reminderLead(due, remind, zone), zone).toISOString(), remind.toISOString(), `${zone} ${d} ${JSON.stringify(lead)}`);
        }
      }
    }
  });
});

describe("recurrence: previews end where the series ends", () => {
  it("when a rule has COUNT, then the preview lists no more slots than the series will create (the start is the first)", () => {
    const start = new Date("2027-01-01T09:00:00Z");
    assert.deepEqual(upcomingSlots("FREQ=DAILY;COUNT=2", "UTC", start, 5).map((d) => d.toISOString()), ["2027-01-02T09:00:00.000Z"]);
    assert.deepEqual(upcomingSlots("FREQ=DAILY;COUNT=1", "UTC", start, 5), []);
    assert.equal(upcomingSlots("FREQ=DAILY", "UTC", start, 5).length, 5);
  });
});

describe("recurrence: zone names", () => {
  it("when a renamed zone is given by its IANA name, then that name is kept, not the old one ICU reports (Asia/Kolkata, not Asia/Calcutta)", () => {
    for (const z of ["Asia/Kolkata", "Europe/Kyiv", "Asia/Kathmandu", "America/Nuuk", "Asia/Ho_Chi_Minh"]) assert.equal(canonicalTimeZone(z), z);
    assert.equal(canonicalTimeZone("europe/berlin"), "Europe/Berlin", "case is still IANA's");
    assert.equal(canonicalTimeZone("Mars/Olympus"), null);
  });

  it("when a stored zone is unknown to this runtime, then the series fails as a refused rule does (RecurrenceError), not with a RangeError", () => {
    const start = "2027-01-01T09:00:00.000Z";
    const o = { recurrence: "FREQ=DAILY", timeZone: "Mars/Olympus", seriesStart: start, seriesSlot: start, seriesIndex: 1, seriesEnded: false, dueAt: start, remindAt: null, completedAt: start };
    assert.throws(() => nextOccurrence(o), (err: Error) => err instanceof RecurrenceError && /time zone "Mars\/Olympus"/.test(err.message));
  });
});
