import assert from "node:assert/strict";
import { choiceFor, previewOccurrences, ruleFor } from "../web/src/recurrence";
import { toApiError } from "../web/src/api/client";

describe("frontend recurrence editor logic", () => {
  it("when a preset is chosen, then it becomes the RRULE the API validates, and back", () => {
    const cases: Array<[Parameters<typeof ruleFor>[0], string | null]> = [
      [{ preset: "none", days: [], custom: "" }, null],
      [{ preset: "daily", days: [], custom: "" }, "FREQ=DAILY"],
      [{ preset: "weekdays", days: [], custom: "" }, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
      [{ preset: "weekly", days: ["MO", "WE"], custom: "" }, "FREQ=WEEKLY;BYDAY=MO,WE"],
      [{ preset: "monthly", days: [], custom: "" }, "FREQ=MONTHLY"],
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
