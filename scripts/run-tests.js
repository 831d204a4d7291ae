// `npm test`: every check and every suite, one summary line at the end (`N passed, N failed`),
// which CI reads. Static checks count as one test each: a type error is as real a failure as a
// failing assertion.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const resultsFile = 'test-results/vitest.json';
let passed = 0;
let failed = 0;
let skipped = 0;

function step(name, command, args) {
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  const outcome = spawnSync(command, args, { stdio: 'inherit' });
  const succeeded = outcome.status === 0;
  console.log(succeeded ? `✔ ${name}` : `✘ ${name} (exit ${outcome.status ?? outcome.signal})`);
  return succeeded;
}

function check(name, command, args) {
  if (step(name, command, args)) passed += 1;
  else failed += 1;
}

check('type check (main side)', 'npx', ['tsc', '-p', 'tsconfig.node.json']);
check('type check (renderer)', 'npx', ['tsc', '-p', 'tsconfig.web.json']);
check('type check (renderer tests)', 'npx', ['tsc', '-p', 'tsconfig.renderer-tests.json']);
check('layering (dependency-cruiser)', 'npx', ['depcruise', 'src-main', 'src-renderer', 'src-platform', '--config', '.dependency-cruiser.cjs']);
// The end-to-end tests drive the built UI, so the build is a check of its own and comes first.
check('build (electron-vite)', 'npx', ['electron-vite', 'build']);

mkdirSync('test-results', { recursive: true });
rmSync(resultsFile, { force: true });
const extraArgs = process.argv.slice(2);
step('unit, integration and end-to-end suites', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...extraArgs]);
try {
  const report = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A suite that failed to load has no tests to count; it still failed.
  failed += report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
} catch (error) {
  console.error(`No test report from Vitest (${error.message}).`);
  failed += 1;
}

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || skipped > 0 ? 1 : 0);
