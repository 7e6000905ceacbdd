import assert from "node:assert/strict";
import { CreateTaskBody, ListTasksQuery, PatchTaskBody } from "../src/domain/task-input";

describe("backend: tags that look alike are one tag or refused (issue 12 sweep)", () => {
  it("when a tag hides bidi or zero-width characters, then create, PATCH and the tag filter refuse it naming the field", () => {
    for (const tag of ["\u202Egat", "tag\u200B", "ta\uFEFFg", "t\u2066a\u2069g", "\u200Ftag"]) {
      const created = CreateTaskBody.safeParse({ title: "t", tags: [tag] });
      assert.equal(created.success, false, JSON.stringify(tag));
      assert.equal(created.error!.issues[0]!.path.join("."), "tags.0");
      assert.equal(PatchTaskBody.safeParse({ tags: [tag] }).success, false, JSON.stringify(tag));
      assert.equal(ListTasksQuery.safeParse({ tag }).success, false, JSON.stringify(tag));
    }
  });

  it("when the same tag comes composed and decomposed, then it is stored once, composed; emoji with joiners stay", () => {
    const parsed = CreateTaskBody.parse({ title: "t", tags: ["caf\u00e9", "cafe\u0301", "👩\u200D💻"] });
    assert.deepEqual(parsed.tags, ["caf\u00e9", "👩\u200D💻"]);
    assert.deepEqual(ListTasksQuery.parse({ tag: "cafe\u0301" }).tag, ["caf\u00e9"], "the filter matches the stored spelling");
    assert.deepEqual(CreateTaskBody.parse({ title: "t", tags: ["\uFEFFtag "] }).tags, ["tag"], "a BOM at either end is trimmed like a space");
  });
});
