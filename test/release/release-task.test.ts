/**
 * `npm run release`, as the project defines it in .projen/tasks.json, run in a throwaway git repository: the first
 * release is 0.1.0 with the hand-written notes, a second run with no new commit changes nothing, and a breaking change
 * after it bumps the minor version. Every step is the project's own except `build`, replaced by `npm pack` into
 * dist/js/: compiling and testing the library is the build's business, here only what the release does around it counts.
 */
import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

const repoRoot = path.join(__dirname, '..', '..');
const RELEASE_SCRIPTS = ['changelog-entries.ts', 'release-changelog.ts', 'release-git.ts', 'release-preflight.ts', 'release-tag.ts', 'tsconfig.json'];
const FIRST_RELEASE_NOTES = '### What it does\n\n* Hand-written summary of everything before the first release.\n';
const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'Release Test',
  GIT_AUTHOR_EMAIL: 'release-test@example.com',
  GIT_COMMITTER_NAME: 'Release Test',
  GIT_COMMITTER_EMAIL: 'release-test@example.com',
};

/** What a release run leaves behind, read once it has finished. */
interface ReleaseOutcome {
  readonly status: number | null;
  readonly output: string;
  readonly head: string;
  readonly headSubject: string;
  readonly tags: Record<string, string>;
  readonly changelog: string;
  readonly packageVersion: string;
  readonly tarballs: Record<string, string>;
}

function run(cwd: string, command: string, args: string[]): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_IDENTITY } }).trim();
}

/** A repository holding the project's tasks and release scripts, with `build` replaced by packing, and two commits. */
function createFixture(dir: string): void {
  const tasks = JSON.parse(readFileSync(path.join(repoRoot, '.projen', 'tasks.json'), 'utf8'));
  tasks.tasks.build.steps = [{ exec: 'mkdir -p dist/js && npm pack --silent --pack-destination dist/js' }];
  mkdirSync(path.join(dir, '.projen'));
  writeFileSync(path.join(dir, '.projen', 'tasks.json'), JSON.stringify(tasks, undefined, 2));
  mkdirSync(path.join(dir, 'projenrc'));
  for (const file of RELEASE_SCRIPTS) copyFileSync(path.join(repoRoot, 'projenrc', file), path.join(dir, 'projenrc', file));
  // projenrc/tsconfig.json extends the project's root tsconfig.json, which jsii generates at compile time
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2020', module: 'commonjs', strict: true } }));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  writeFileSync(path.join(dir, '.gitignore'), '/node_modules\n/dist/\n');
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'release-fixture', version: '0.0.0', main: 'index.js' }, undefined, 2)}\n`);
  writeFileSync(path.join(dir, 'CHANGELOG.md'), '# Changelog\n\nWhat changed in each release.\n');
  writeFileSync(path.join(dir, 'index.js'), 'module.exports = 1;\n');
  mkdirSync(path.join(dir, 'release-notes'));
  writeFileSync(path.join(dir, 'release-notes', '0.1.0.md'), FIRST_RELEASE_NOTES);
  run(dir, 'git', ['init', '--quiet', '--initial-branch', 'main']);
  run(dir, 'git', ['add', '--all']);
  run(dir, 'git', ['commit', '--quiet', '--message', 'initial import, before the convention']);
  commit(dir, 'index.js', 'module.exports = 2;\n', 'feat(construct): a second value');
}

function commit(dir: string, file: string, content: string, message: string): void {
  writeFileSync(path.join(dir, file), content);
  run(dir, 'git', ['add', file]);
  run(dir, 'git', ['commit', '--quiet', '--message', message]);
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function release(dir: string): ReleaseOutcome {
  const result = spawnSync(path.join(repoRoot, 'node_modules', '.bin', 'projen'), ['release'], {
    cwd: dir,
    encoding: 'utf8',
    // The release scripts are type-checked with the project (tsc, eslint); here they only need to run.
    env: { ...process.env, ...GIT_IDENTITY, TS_NODE_TRANSPILE_ONLY: 'true', CI: 'true' },
  });
  const tagNames = run(dir, 'git', ['tag', '--list']).split('\n').filter((tag) => tag);
  const distJs = path.join(dir, 'dist', 'js');
  let tarballNames: string[] = [];
  try {
    tarballNames = readdirSync(distJs);
  } catch {
    // no tarball: the release failed before packing
  }
  return {
    status: result.status,
    output: `${result.stdout}\n${result.stderr}`,
    head: run(dir, 'git', ['rev-parse', 'HEAD']),
    headSubject: run(dir, 'git', ['log', '-1', '--format=%s']),
    tags: Object.fromEntries(tagNames.map((tag) => [tag, run(dir, 'git', ['rev-parse', tag])])),
    changelog: readFileSync(path.join(dir, 'CHANGELOG.md'), 'utf8'),
    packageVersion: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version,
    tarballs: Object.fromEntries(tarballNames.map((name) => [name, sha256(path.join(distJs, name))])),
  };
}

function packedFile(dir: string, tarball: string, file: string): string {
  return run(dir, 'tar', ['-xzOf', path.join(dir, 'dist', 'js', tarball), `package/${file}`]);
}

const today = () => new Date().toISOString().slice(0, 10);

describe('npm run release', () => {
  let dir: string;
  let first: ReleaseOutcome;
  let firstPacked: { version: string; changelog: string };
  let again: ReleaseOutcome;
  let dirty: ReleaseOutcome;
  let breaking: ReleaseOutcome;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'release-'));
    createFixture(dir);
    first = release(dir);
    if (first.status !== 0) throw new Error(`the first release failed:\n${first.output}`);
    // read now: each run starts by emptying dist/
    firstPacked = {
      version: JSON.parse(packedFile(dir, 'release-fixture-0.1.0.tgz', 'package.json')).version,
      changelog: packedFile(dir, 'release-fixture-0.1.0.tgz', 'CHANGELOG.md'),
    };
    again = release(dir);
    writeFileSync(path.join(dir, 'stray.txt'), 'not committed\n');
    dirty = release(dir);
    rmSync(path.join(dir, 'stray.txt'));
    commit(dir, 'index.js', 'module.exports = { value: 3 };\n',
      'feat(construct)!: export an object\n\nBREAKING CHANGE: the module exports an object, not a number.');
    breaking = release(dir);
  }, 900_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the first release is 0.1.0: a tarball of that version, a release commit and its annotated tag', () => {
    // GIVEN a history with no release tag WHEN the release runs
    // THEN dist/js holds the 0.1.0 tarball, HEAD is the release commit and v0.1.0 (annotated) marks it
    expect(Object.keys(first.tarballs)).toEqual(['release-fixture-0.1.0.tgz']);
    expect(firstPacked.version).toBe('0.1.0');
    expect(first.headSubject).toBe('chore(release): 0.1.0');
    expect(Object.keys(first.tags)).toEqual(['v0.1.0']);
    expect(run(dir, 'git', ['rev-parse', 'v0.1.0^{commit}'])).toBe(first.head);
    expect(run(dir, 'git', ['cat-file', '-t', 'v0.1.0'])).toBe('tag');
    // AND package.json stays 0.0.0: the version lives in the tag, the changelog and the tarball
    expect(first.packageVersion).toBe('0.0.0');
  });

  test('the first changelog entry is the hand-written summary, and the tarball and the tag carry it', () => {
    const entry = `## 0.1.0 (${today()})\n\n${FIRST_RELEASE_NOTES}`;
    expect(first.changelog).toBe(`# Changelog\n\nWhat changed in each release.\n\n${entry}`);
    // the notes replace the list generated from the commits, and leave the tree with the release commit
    expect(first.changelog).not.toContain('a second value');
    expect(run(dir, 'git', ['show', '--name-status', '--format=', 'v0.1.0^{commit}']).split('\n').sort())
      .toEqual(['D\trelease-notes/0.1.0.md', 'M\tCHANGELOG.md']);
    expect(firstPacked.changelog).toBe(first.changelog.trim());
    expect(run(dir, 'git', ['tag', '--list', '--format=%(contents)', 'v0.1.0'])).toBe(entry.trim());
  });

  test('run again with no new commit, it changes nothing: no commit, no tag, no changelog entry, the same tarball', () => {
    expect(again.status).toBe(0);
    expect(again.head).toBe(first.head);
    expect(again.tags).toEqual(first.tags);
    expect(again.changelog).toBe(first.changelog);
    expect(again.packageVersion).toBe('0.0.0');
    expect(again.tarballs).toEqual(first.tarballs);
  });

  test('a work tree with uncommitted changes is refused before anything is bumped, committed or tagged', () => {
    expect(dirty.status).not.toBe(0);
    expect(dirty.output).toContain('Commit or stash these changes before releasing');
    expect(dirty.output).toContain('stray.txt');
    expect(dirty.head).toBe(first.head);
    expect(dirty.tags).toEqual(first.tags);
    expect(dirty.changelog).toBe(first.changelog);
  });

  test('below 1.0, a breaking change bumps the minor version, and its entry is generated from the commits', () => {
    // GIVEN a `feat!` commit with a BREAKING CHANGE footer after v0.1.0 WHEN the release runs THEN it is 0.2.0
    expect(breaking.status).toBe(0);
    expect(Object.keys(breaking.tarballs)).toEqual(['release-fixture-0.2.0.tgz']);
    expect(breaking.headSubject).toBe('chore(release): 0.2.0');
    expect(Object.keys(breaking.tags).sort()).toEqual(['v0.1.0', 'v0.2.0']);
    expect(breaking.tags['v0.1.0']).toBe(first.tags['v0.1.0']);
    // AND the new entry sits above 0.1.0's, listing the breaking change
    const newEntry = breaking.changelog.slice(breaking.changelog.indexOf('## '), breaking.changelog.indexOf('## 0.1.0'));
    expect(newEntry).toMatch(/^## \[?0\.2\.0\]?/);
    expect(newEntry).toContain('BREAKING CHANGES');
    expect(newEntry).toContain('the module exports an object, not a number');
    expect(breaking.changelog.endsWith(`## 0.1.0 (${today()})\n\n${FIRST_RELEASE_NOTES}`)).toBe(true);
    expect(breaking.packageVersion).toBe('0.0.0');
  });
});
