// Spec output for humans, plus the counts and the failures written to $MOCHA_SUMMARY_FILE for
// scripts/run-tests.mjs, which repeats the failures just above its last line: a CI log is often
// read from its tail only.
const fs = require("node:fs");
const Mocha = require("mocha");
const { EVENT_RUN_END, EVENT_TEST_FAIL } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const failures = [];
    runner.on(EVENT_TEST_FAIL, (test, err) => {
      const message = String((err && (err.message || err)) || "").split("\n").slice(0, 3).join(" | ");
      failures.push({ title: test.fullTitle(), error: message.slice(0, 400) });
    });
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.MOCHA_SUMMARY_FILE;
      if (file) {
        const s = runner.stats;
        fs.writeFileSync(file, JSON.stringify({ passed: s.passes, failed: s.failures, pending: s.pending, failures }));
      }
    });
  }
}
module.exports = SummaryReporter;
