/**
 * Jest's globalSetup: builds the shipped bundles (assets/: the Lambda handlers and the local runtime) once, before
 * any test file runs, when one is missing or older than its sources. Tests run the bundles as a user's app does,
 * so a test must never see a bundle of older code; and no test file rebuilds them on its own.
 */
import { execFileSync } from 'child_process';
import { readdirSync, statSync } from 'fs';
import * as path from 'path';

const REPO = path.join(__dirname, '..');
const BUNDLES = [
  ...['authorizer', 'connect', 'disconnect', 'echo'].map((name) => `assets/${name}/index.js`),
  ...['cli', 'function-worker', 'jwks-interceptor'].map((name) => `assets/local/${name}.js`),
  'assets/local/web/index.html',
];
const SOURCES = ['lambda', 'local', 'examples/web', 'projenrc', 'src/wire-contract.ts'];

export default function buildBundles(): void {
  const oldestBundle = Math.min(...BUNDLES.map((bundle) => modifiedAt(path.join(REPO, bundle)) ?? -Infinity));
  const newestSource = Math.max(...SOURCES.map((source) => newestFileIn(path.join(REPO, source))));
  if (oldestBundle >= newestSource) return;
  process.stderr.write('\nassets/ is missing or older than its sources: bundling (npx projen bundle)\n');
  execFileSync('npx', ['projen', 'bundle'], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
}

function modifiedAt(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function newestFileIn(fileOrDirectory: string): number {
  const stats = statSync(fileOrDirectory);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(fileOrDirectory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => statSync(path.join(entry.parentPath, entry.name)).mtimeMs));
}
