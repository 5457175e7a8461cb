// Prints the plain closing line `N passed, N failed` (with `, N skipped` when any) that CI reads,
// since jest's own summary ("Tests: 3 passed, 3 total") is not in a form it recognises.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
    process.stdout.write(`\n${line}\n`);
  }
}
module.exports = SummaryReporter;
