/**
 * Figure 5. A user's `cdk synth`: a new app with the construct (its handlers pre-bundled in the package) against the
 * same stack built the AWS sample's way (`NodejsFunction`, esbuild bundling each handler while the app synthesizes).
 * Each app runs as the CDK CLI runs it, `node app.js` in a fresh process with CDK_OUTDIR set, and is timed from spawn
 * to exit.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { HandlerAssets } from '../../src/wire-contract';
import { BenchSettings } from '../bench-settings';
import { FigureReport } from '../figure-report';
import { formatNumber } from '../number-format';
import { pairedRatios, spreadOf } from '../statistics';

export async function measureSynth(settings: BenchSettings): Promise<FigureReport> {
  const appDir = await prepareApps(settings);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let repetition = 0; repetition < settings.sizes.synthRepetitions; repetition++) {
    ours.push(await synthSeconds(settings, appDir, 'construct-app.js', `construct-${repetition}`));
    theirs.push(await synthSeconds(settings, appDir, 'sample-way-app.js', `sample-way-${repetition}`));
  }
  const seconds = (values: number[]) => `${formatNumber(spreadOf(values).median)} s`;
  return {
    figure: '5',
    title: 'A user\'s cdk synth',
    rows: [{
      measure: 'app synth with the construct ÷ the sample\'s way (NodejsFunction)',
      value: spreadOf(pairedRatios(ours, theirs)),
      unit: '×',
      target: { comparison: '<=', value: 0.3 },
      detail: `${seconds(ours)} vs ${seconds(theirs)}`,
    }],
    notes: [
      'Both apps build the AWS sample\'s backend: a user pool and client, the connections table, the WebSocket API with its ' +
      'authorizer and $connect, $disconnect and $default functions. The construct app imports the package from node_modules ' +
      '(src/ compiled to JavaScript, the shipped assets/ beside it); the sample-way app defines the same resources with four ' +
      '`NodejsFunction`s bundled from lambda/*/index.ts by the local esbuild (no Docker), NodejsFunction\'s defaults.',
      `Each app is compiled to JavaScript once, then run ${settings.sizes.synthRepetitions} times as \`node app.js\` with a ` +
      'fresh CDK_OUTDIR, alternating, timed from spawn to exit: the part of `cdk synth` that the app decides. The CDK CLI ' +
      'adds the same fixed cost (its own start, reading the assembly) to both.',
    ],
  };
}

/** A directory laid out as a user's app after `npm install`: both apps compiled, the package in node_modules. */
async function prepareApps(settings: BenchSettings): Promise<string> {
  const appDir = path.join(settings.workDir, 'synth-app');
  const packageDir = path.join(appDir, 'node_modules', 'cdk-cognito-websocket-api');
  mkdirSync(path.join(packageDir, 'lib'), { recursive: true });
  for (const dependency of ['aws-cdk-lib', 'constructs']) {
    symlinkSync(path.join(settings.repoRoot, 'node_modules', dependency), path.join(appDir, 'node_modules', dependency), 'dir');
  }
  // The package as npm installs it: lib/ (what jsii compiles from src/) and the pre-bundled handlers in assets/.
  writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify({ name: 'cdk-cognito-websocket-api', main: 'lib/index.js' }));
  const sourceDir = path.join(settings.repoRoot, 'src');
  for (const file of readdirSync(sourceDir).filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))) {
    await compileTo(path.join(sourceDir, file), path.join(packageDir, 'lib', file.replace(/\.ts$/, '.js')));
  }
  for (const name of Object.values(HandlerAssets)) {
    cpSync(path.join(settings.repoRoot, 'assets', name), path.join(packageDir, 'assets', name), { recursive: true });
  }
  for (const app of ['construct-app', 'sample-way-app']) {
    await compileTo(path.join(__dirname, '..', 'synth-apps', `${app}.ts`), path.join(appDir, `${app}.js`));
  }
  // The user's own package.json: the repository's dependencies, under a name of its own. With the library's name and
  // `exports`, Node.js would resolve `require('cdk-cognito-websocket-api')` to the app itself (self-reference).
  const { dependencies, devDependencies } = JSON.parse(readFileSync(path.join(settings.repoRoot, 'package.json'), 'utf8'));
  writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'bench-synth-app', private: true, dependencies, devDependencies }));
  return appDir;
}

/** TypeScript to CommonJS, file by file, as `tsc` compiles a user's app (no bundling). */
async function compileTo(source: string, target: string): Promise<void> {
  const { code } = await transform(readFileSync(source, 'utf8'), { loader: 'ts', format: 'cjs', platform: 'node', target: 'node20' });
  writeFileSync(target, code);
}

async function synthSeconds(settings: BenchSettings, appDir: string, app: string, outName: string): Promise<number> {
  const outdir = path.join(settings.workDir, 'synth-out', outName);
  const start = performance.now();
  await promisify(execFile)(process.execPath, [app], {
    cwd: appDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CDK_OUTDIR: outdir, BENCH_REPO_ROOT: settings.repoRoot },
    maxBuffer: 16 * 1024 * 1024,
  });
  const seconds = (performance.now() - start) / 1000;
  const template = JSON.parse(readFileSync(path.join(outdir, 'BackendStack.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
  const functions = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function').length;
  if (functions < 4) throw new Error(`${app} synthesized ${functions} functions, not the 4 handlers`);
  return seconds;
}
