import assert from "node:assert/strict";
import { preparedStatement } from "../src/db/prepared-statement";

describe("prepared statements", () => {
  it("binds the values to the named text", () => {
    const q = preparedStatement("test-select-one", "SELECT $1::int AS one");
    assert.deepEqual(q([1]), { name: "test-select-one", text: "SELECT $1::int AS one", values: [1] });
  });

  it("refuses a name already bound to another text (node-pg would fail on the connection instead)", () => {
    preparedStatement("test-select-two", "SELECT 2");
    assert.doesNotThrow(() => preparedStatement("test-select-two", "SELECT 2"));
    assert.throws(() => preparedStatement("test-select-two", "SELECT 3"), /test-select-two is already defined with another text/);
  });
});
