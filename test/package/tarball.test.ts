/**
 * The tarball a maintainer publishes, checked before it could be: it holds the built library and its documents and
 * nothing else, and `npm publish --dry-run` accepts it without a single request to a registry.
 */
import { execFileSync, spawn } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';

const repoRoot = path.join(__dirname, '..', '..');

/** Everything at the top of the package: the jsii build, the bundled handlers and local runtime, the documents. */
const TOP_LEVEL = ['.jsii', 'API.md', 'CHANGELOG.md', 'LICENSE', 'README.md', 'assets', 'lib', 'package.json'];

/** The arguments of the release task's `npm publish` step, for the tarball given (the task names dist/js/*.tgz). */
function releasePublishArgs(tarballPath: string): string[] {
  const tasks = JSON.parse(readFileSync(path.join(repoRoot, '.projen', 'tasks.json'), 'utf8')).tasks;
  const step = tasks.release.steps.find((candidate: { exec?: string }) => candidate.exec?.startsWith('npm publish '));
  if (!step) throw new Error('the release task has no `npm publish` step');
  return step.exec.split(' ').slice(1).map((arg: string) => (arg === 'dist/js/*.tgz' ? tarballPath : arg));
}

/** Runs a command to its end, without throwing: its exit code and what it printed. */
function runToEnd(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('the packed tarball', () => {
  let workDir: string;
  let tarball: string;
  let files: string[];

  beforeAll(() => {
    for (const built of ['.jsii', 'lib/index.js', 'lib/index.d.ts', 'assets/local/cli.js']) {
      if (!existsSync(path.join(repoRoot, built))) {
        throw new Error(`${built} is missing: build the library first (npx projen compile runs the bundle tasks and jsii)`);
      }
    }
    workDir = mkdtempSync(path.join(tmpdir(), 'tarball-'));
    const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', workDir], { cwd: repoRoot, encoding: 'utf8' })
      .trim().split('\n').pop()!;
    tarball = path.join(workDir, packed);
    files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n')
      .map((entry) => entry.replace(/^package\//, ''));
  }, 120_000);

  afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  test('holds the built library, its assets, API.md, README.md, LICENSE, CHANGELOG.md, .jsii and package.json, nothing else', () => {
    expect([...new Set(files.map((file) => file.split('/')[0]))].sort()).toEqual(TOP_LEVEL);
    // the bundled handlers and the bundled local runtime
    expect(files).toEqual(expect.arrayContaining(['assets/authorizer/index.js', 'assets/local/cli.js', 'lib/index.js', 'lib/index.d.ts']));
  });

  test('holds no TypeScript source, test, local runtime source, dependency or report', () => {
    // jsii packages ship lib/*.js with their .d.ts: src/ would only duplicate them
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((file) => /(^|\/)(src|test|local|lambda|bench|examples|node_modules|\.stryker-tmp|reports|coverage|test-reports)\//
      .test(file.replace(/^assets\/local\//, 'assets/')))).toEqual([]);
    expect(files.filter((file) => /\.(test|spec)\.js$|tsconfig|\.tsbuildinfo$|^\.projenrc|^projenrc\/|^release-notes\/|SECURITY\.md/.test(file)))
      .toEqual([]);
  });

  test('passes `npm publish --dry-run` offline: the registry it is pointed at receives no request', async () => {
    // GIVEN a registry on loopback that records every request and answers none of them usefully
    const requests: string[] = [];
    const registry: Server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      response.statusCode = 503;
      response.end();
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    try {
      const registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
      // WHEN the tarball is published as a dry run (the release task's own command, pointed at that registry)
      const args = releasePublishArgs(tarball);
      expect(args).toEqual(expect.arrayContaining(['--dry-run', tarball]));
      const result = await runToEnd('npm', [...args, '--registry', registryUrl], workDir);
      // THEN npm accepts it, names the package, and sent nothing
      expect(result.output).toContain('(dry-run)');
      expect(result.code).toBe(0);
      expect(result.output).toMatch(/\+ cdk-cognito-websocket-api@\d+\.\d+\.\d+/);
      expect(requests).toEqual([]);
    } finally {
      await new Promise((resolve) => registry.close(resolve));
    }
  }, 120_000);
});
