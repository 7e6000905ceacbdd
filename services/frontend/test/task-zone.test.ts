import assert from "node:assert/strict";
import { reminderChoiceFor, remindAtFor } from "../web/src/reminder-offset";
import { formatWhen, isoToLocalInput, localInputToIso } from "../web/src/time";

describe("web: a task's times are its zone's wall clock", () => {
  it("when a due time is typed for a task in another zone, then it is that zone's wall clock (Monday 20:00 Los Angeles)", () => {
    assert.equal(localInputToIso("2026-12-07T20:00", "America/Los_Angeles"), "2026-12-08T04:00:00.000Z");
    assert.equal(localInputToIso("2027-03-25T00:15:00", "Asia/Kolkata"), "2027-03-24T18:45:00.000Z");
    assert.equal(isoToLocalInput("2026-12-08T04:00:00.000Z", "America/Los_Angeles"), "2026-12-07T20:00:00");
    assert.equal(isoToLocalInput("2027-10-02T15:45:00.000Z", "Australia/Lord_Howe"), "2027-10-03T02:45:00");
  });

  it("when the typed time does not exist (spring forward), then it is read with the offset before the gap, as the series' slots are", () => {
    assert.equal(localInputToIso("2027-03-28T02:30", "Europe/Berlin"), "2027-03-28T01:30:00.000Z");
    assert.equal(localInputToIso("2027-03-14T02:30", "America/New_York"), "2027-03-14T07:30:00.000Z");
    // twice at fall back: the first
    assert.equal(localInputToIso("2027-11-07T01:30", "America/New_York"), "2027-11-07T05:30:00.000Z");
  });

  it("when a task's time is shown, then it is in the task's zone and names it", () => {
    const text = formatWhen("2027-03-24T18:45:00.000Z", "Asia/Kolkata");
    assert.match(text, /\(Asia\/Kolkata\)$/);
    assert.match(text, /12:15|0:15/, text);
    assert.doesNotMatch(formatWhen("2027-03-24T18:45:00.000Z"), /\(/, "without a zone, the browser's, unnamed");
  });

  it("when '1 day before' is chosen for a due time after a DST change, then it is the same local time the day before, and reads back as '1 day before'", () => {
    const due = "2027-03-28T07:00:00.000Z"; // 09:00 CEST, the day Berlin springs forward
    const remind = remindAtFor("1d", due, null, "Europe/Berlin");
    assert.equal(remind, "2027-03-27T08:00:00.000Z", "09:00 CET the day before (23 hours earlier)");
    assert.equal(reminderChoiceFor(due, remind, "Europe/Berlin"), "1d");
    assert.equal(remindAtFor("1h", due, null, "Europe/Berlin"), "2027-03-28T06:00:00.000Z", "an hour is exact");
    assert.equal(reminderChoiceFor(due, "2027-03-27T07:00:00.000Z", "Europe/Berlin"), "custom", "24 h before is 08:00 the day before, not '1 day before'");
  });
});
