import assert from "node:assert/strict";
import { budgetTable, k3sBaseline, parseCpu, parseMemory, requestsOf, sumBudget, type BudgetLine } from "../../budget";

describe("budget arithmetic", () => {
  it("when quantities use Kubernetes suffixes, then they convert to millicores and MiB", () => {
    assert.equal(parseCpu("250m"), 250);
    assert.equal(parseCpu("0.5"), 500);
    assert.equal(parseCpu(2), 2000);
    assert.equal(parseMemory("1Gi"), 1024);
    assert.equal(parseMemory("128Mi"), 128);
    assert.ok(Math.abs(parseMemory("500M") - 476.84) < 0.01);
    assert.throws(() => parseCpu("lots"), /not a CPU quantity/);
    assert.throws(() => parseMemory("1GB"), /not a memory quantity/);
  });

  it("when a container has no explicit requests, then it is named", () => {
    assert.throws(() => requestsOf({ limits: { cpu: "1" } }, "dapr/dapr_operator"), /dapr\/dapr_operator: no explicit CPU and memory requests/);
    assert.deepEqual(requestsOf({ requests: { cpu: "50m", memory: "64Mi" } }, "x"), { cpuMillicores: 50, memoryMiB: 64 });
  });

  it("when lines are summed, then replicas multiply and the 80% line decides whether it fits", () => {
    const lines: BudgetLine[] = [{ component: "a", source: "app", replicas: 2, perReplica: { cpuMillicores: 400, memoryMiB: 1024 } }];
    const fits = sumBudget(lines);
    assert.deepEqual(fits.total, { cpuMillicores: 800, memoryMiB: 2048 });
    assert.equal(fits.limit.cpuMillicores, 1600);
    assert.equal(fits.fits, true);
    const tooMuch = sumBudget([...lines, { component: "b", source: "chart", replicas: 1, perReplica: { cpuMillicores: 801, memoryMiB: 1 } }]);
    assert.equal(tooMuch.fits, false);
  });

  it("when the layout has two nodes, then the agent process and a second OS reservation are counted", () => {
    const one = sumBudget(k3sBaseline(1)).total;
    const two = sumBudget(k3sBaseline(2)).total;
    assert.ok(two.cpuMillicores > one.cpuMillicores && two.memoryMiB > one.memoryMiB);
  });

  it("when the table is printed, then each line, the total and the limit appear", () => {
    const table = budgetTable(sumBudget(k3sBaseline(1)));
    assert.match(table, /\| k3s\/server process \| k3s \| 1 \| 300m \| 1600Mi \|/);
    assert.match(table, /\| \*\*total\*\* \|/);
    assert.match(table, /limit \(80% of 2000m \/ 12288Mi\)/);
  });
});
