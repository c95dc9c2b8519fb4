import { readFileSync } from 'fs';
import * as path from 'path';

// CI runs the README's test command verbatim; this keeps the two from drifting apart.
describe('README', () => {
  const root = path.join(__dirname, '..');
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const ciScript = readFileSync(path.join(root, '.ci', 'run'), 'utf8');

  test('shows the exact test command that CI runs', () => {
    // GIVEN the command .ci/run executes
    const match = ciScript.match(/^TEST_COMMAND='([^']+)'$/m);
    expect(match).not.toBeNull();
    // THEN the README tells a new user to run the same command
    expect(readme).toContain(match![1]);
  });

  test('shows the command that installs and starts the local runtime', () => {
    expect(readme).toContain('npm ci && npm start');
  });
});
