// Mocha's spec reporter, plus a one-line JSON summary per run in out/test-results/, which
// scripts/testSummary.mjs adds up into the closing "N passed, N failed" line of `npm test`.
const Mocha = require('mocha');
const fs = require('fs');
const path = require('path');

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const suiteName = (options && options.reporterOptions && options.reporterOptions.suiteName) || process.env.HINDSIGHT_SUITE_NAME || 'unit';
    runner.once('end', () => {
      const dir = path.resolve('out', 'test-results');
      fs.mkdirSync(dir, { recursive: true });
      const { passes, failures, pending } = this.stats;
      fs.writeFileSync(path.join(dir, `${suiteName}.json`), JSON.stringify({ suite: suiteName, passed: passes, failed: failures, skipped: pending }));
    });
  }
}

module.exports = SpecWithSummary;
