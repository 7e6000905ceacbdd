import assert from "node:assert/strict";
import { parseCpu, parseMemory } from "../quantity";

describe("Kubernetes quantities", () => {
  it("when quantities use Kubernetes suffixes, then they convert to millicores and MiB", () => {
    assert.equal(parseMemory("1536Ki"), 1.5);
    assert.equal(parseMemory(String(2 * 1024 * 1024)), 2);
    assert.equal(parseCpu("250m"), 250);
    assert.equal(parseCpu("0.5"), 500);
    assert.equal(parseCpu(2), 2000);
    assert.equal(parseMemory("1Gi"), 1024);
    assert.equal(parseMemory("128Mi"), 128);
    assert.ok(Math.abs(parseMemory("500M") - 476.84) < 0.01);
    assert.throws(() => parseCpu("lots"), /not a CPU quantity/);
    assert.throws(() => parseMemory("1GB"), /not a memory quantity/);
  });
});
