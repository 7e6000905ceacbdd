import assert from "node:assert/strict";
import { instantString, isStorableText, storableText, utcInstant } from "@todo/contracts/safe-text";

describe("safe text and instants (what PostgreSQL and UTF-8 JSON can hold)", () => {
  it("when a string holds NUL or an unpaired surrogate, then it is refused; paired surrogates pass", () => {
    for (const bad of ["\u0000", "a\u0000", "\ud800", "x\udbff", "\udc00y", "\udfff\ud800"]) assert.equal(isStorableText(bad), false, JSON.stringify(bad));
    for (const good of ["", "plain", "emoji 😀", "\ud83d\ude00", "tab\tnewline\n", "é€"]) assert.equal(isStorableText(good), true, JSON.stringify(good));
    const title = storableText().trim().min(1).max(5);
    assert.equal(title.safeParse("  ab  ").data, "ab");
    assert.match(title.safeParse("a\u0000").error!.issues[0]!.message, /NUL/);
  });

  it("when a time's UTC value leaves years 1–9999, then it is refused, whatever its offset", () => {
    for (const bad of ["0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-12:00", "+275760-09-13T00:00:00.000Z", "2020", "1", "2020-01-01"]) {
      assert.equal(instantString().safeParse(bad).success, false, bad);
    }
    assert.equal(utcInstant().parse("0001-01-01T00:30:00+00:30"), "0001-01-01T00:00:00.000Z");
    assert.equal(utcInstant().parse("9999-12-31T23:59:59.999Z"), "9999-12-31T23:59:59.999Z");
    assert.equal(utcInstant().parse("2030-06-01T12:00:00-04:00"), "2030-06-01T16:00:00.000Z");
  });
});
