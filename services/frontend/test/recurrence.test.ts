import assert from "node:assert/strict";
import { choiceFor, monthlyRule, previewOccurrences, ruleFor } from "../web/src/recurrence";
import { fromFloating, nextOccurrence, toFloating } from "../../shared/src/recurrence";
import { zoneCases } from "../../shared/test/recurrence-cases";
import { toApiError } from "../web/src/api/client";

describe("frontend recurrence editor logic", () => {
  it("when a preset is chosen, then it becomes the RRULE the API validates, and back", () => {
    const cases: Array<[Parameters<typeof ruleFor>[0], string | null]> = [
      [{ preset: "none", days: [], custom: "" }, null],
      [{ preset: "daily", days: [], custom: "" }, "FREQ=DAILY"],
      [{ preset: "weekdays", days: [], custom: "" }, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
      [{ preset: "weekly", days: ["MO", "WE"], custom: "" }, "FREQ=WEEKLY;BYDAY=MO,WE"],
      [{ preset: "monthly", days: [], custom: "" }, "FREQ=MONTHLY;BYMONTHDAY=1"],
      [{ preset: "custom", days: [], custom: "RRULE:FREQ=YEARLY;COUNT=2" }, "FREQ=YEARLY;COUNT=2"],
    ];
    for (const [choice, rule] of cases) {
      assert.equal(ruleFor(choice), rule);
      if (rule && choice.preset !== "custom") assert.equal(choiceFor(rule).preset, choice.preset);
    }
    assert.deepEqual(choiceFor("FREQ=WEEKLY;BYDAY=MO,WE").days, ["MO", "WE"]);
    assert.equal(choiceFor("FREQ=DAILY;INTERVAL=2").preset, "custom");
  });

  it("when a rule is previewed, then the next occurrences follow it from the due date", () => {
    const start = new Date("2026-12-07T09:00:00Z"); // a Monday
    const r = previewOccurrences("FREQ=WEEKLY;BYDAY=MO,WE", start, 3);
    assert.ok("dates" in r);
    assert.deepEqual(r.dates.map((d) => d.toISOString()), ["2026-12-07T09:00:00.000Z", "2026-12-09T09:00:00.000Z", "2026-12-14T09:00:00.000Z"]);
  });

  it("when the monthly preset is due on the 31st, then shorter months get their last day (18.4)", () => {
    assert.equal(ruleFor({ preset: "monthly", days: [], custom: "" }, 31), "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1");
    assert.equal(monthlyRule(15), "FREQ=MONTHLY;BYMONTHDAY=15");
    assert.equal(choiceFor(monthlyRule(30)).preset, "monthly");
    const r = previewOccurrences(monthlyRule(31), new Date("2027-01-31T10:00:00Z"), 4, "Europe/Berlin");
    assert.ok("dates" in r);
    assert.deepEqual(r.dates.map((d) => toFloating(d, "Europe/Berlin").toISOString().slice(0, 10)), ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]);
  });

  for (const c of zoneCases) {
    it(`when ${c.rule} in ${c.zone} is previewed, then the preview shows what the server creates (${c.expectLocal.join(", ")})`, () => {
      const start = fromFloating(new Date(`${c.startLocal}Z`), c.zone);
      const preview = previewOccurrences(c.rule, start, c.expectLocal.length + 1, c.zone);
      assert.ok("dates" in preview, JSON.stringify(preview));
      // the server's path: one completion after another, each at its due time
      const server: string[] = [];
      let o = { recurrence: c.rule, timeZone: c.zone, seriesStart: start.toISOString(), seriesSlot: start.toISOString(), seriesIndex: 1, seriesEnded: false, dueAt: start.toISOString(), remindAt: null, completedAt: start.toISOString() };
      for (let i = 0; i < c.expectLocal.length; i++) {
        const next = nextOccurrence(o);
        assert.ok("dueAt" in next);
        server.push(next.dueAt);
        o = { ...o, seriesSlot: next.seriesSlot, seriesIndex: next.seriesIndex, dueAt: next.dueAt, completedAt: next.dueAt };
      }
      assert.deepEqual(preview.dates.slice(1).map((d) => d.toISOString()), server);
      assert.deepEqual(preview.dates.slice(1).map((d) => toFloating(d, c.zone).toISOString().slice(0, 19)), c.expectLocal);
    });
  }

  it("when the zone or rule would be refused by the server, then the preview says why in the server's words", () => {
    const bad = previewOccurrences("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", new Date(), 3, "Europe/Berlin");
    assert.ok("error" in bad && /never produces an occurrence/.test(bad.error));
    assert.ok("error" in previewOccurrences("FREQ=DAILY", new Date(), 3, "Mars/Olympus"));
  });

  it("when a rule is garbage or has no FREQ, then the preview explains instead of throwing", () => {
    assert.ok("error" in previewOccurrences("FREQ=SOMETIMES", new Date()));
    assert.ok("error" in previewOccurrences("BYDAY=MO", new Date()));
  });

  it("when the API answers with its error shape, then the message and fields are kept for the user", () => {
    const e = toApiError(400, { error: { code: "validation_failed", message: "invalid body: title", details: [{ field: "title", message: "Too small" }] } });
    assert.equal(e.message, "invalid body: title");
    assert.deepEqual(e.fields, [{ field: "title", message: "Too small" }]);
    assert.equal(toApiError(502, "<html>").message, "Request failed (HTTP 502)");
  });
});
