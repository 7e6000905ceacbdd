import assert from "node:assert/strict";
import { choiceFor, monthlyRule, ruleOnSave } from "../web/src/recurrence";
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

describe("web: saving an edit keeps the series' rule", () => {
  const lastDay = monthlyRule(31); // FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1
  const edit = (stored: string | null, firstOccurrence: boolean) => ({ stored, firstOccurrence, initial: choiceFor(stored) });

  it("when a later occurrence of 'monthly on the 31st' (due 28 February) is renamed, then the rule is not turned into 'the 28th'", () => {
    assert.equal(ruleOnSave(edit(lastDay, false), choiceFor(lastDay), 28), lastDay);
    // a plain RFC rule from the API, shown under the monthly preset, is saved as it is too
    assert.equal(ruleOnSave(edit("FREQ=MONTHLY", false), choiceFor("FREQ=MONTHLY"), 31), "FREQ=MONTHLY");
  });

  it("when the first occurrence of a monthly preset is moved to another day, then its rule follows the due day (moving it moves the series)", () => {
    assert.equal(ruleOnSave(edit(monthlyRule(15), true), choiceFor(monthlyRule(15)), 16), "FREQ=MONTHLY;BYMONTHDAY=16");
  });

  it("when the user changes the Repeat controls or creates a task, then the rule is the one chosen", () => {
    assert.equal(ruleOnSave(edit(lastDay, false), { preset: "daily", days: [], custom: "" }, 28), "FREQ=DAILY");
    assert.equal(ruleOnSave(edit("FREQ=WEEKLY;BYDAY=MO", false), { preset: "weekly", days: ["MO", "TU"], custom: "" }, 1), "FREQ=WEEKLY;BYDAY=MO,TU");
    assert.equal(ruleOnSave(null, { preset: "monthly", days: [], custom: "" }, 30), monthlyRule(30));
    assert.equal(ruleOnSave(edit(lastDay, false), { preset: "none", days: [], custom: "" }, 28), null);
  });
});
