// Spec output for humans, plus the counts written to $MOCHA_SUMMARY_FILE for scripts/run-tests.mjs.
const fs = require("node:fs");
const Mocha = require("mocha");
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.MOCHA_SUMMARY_FILE;
      if (file) {
        const s = runner.stats;
        fs.writeFileSync(file, JSON.stringify({ passed: s.passes, failed: s.failures, pending: s.pending }));
      }
    });
  }
}
module.exports = SummaryReporter;
