/**
 * Bundles the local runtime (local/) into assets/local/ for the npm package: the CLI, the Lambda worker and the
 * JWKS preload as self-contained CommonJS files, and the example web client beside them. Run by the
 * `bundle:local` task; the esbuild CLI cannot do it because dynalite needs the plugin below.
 */
import { cpSync, readFileSync, rmSync } from 'fs';
import * as path from 'path';
import { build, Plugin } from 'esbuild';

const root = path.join(__dirname, '..');
const outdir = path.join(root, 'assets', 'local');

/**
 * dynalite loads each operation with `require('./actions/' + action)`. esbuild bundles every file that pattern can
 * match, but keys them with their `.js` extension, so the extension is written into the call.
 */
const dynaliteOperations: Plugin = {
  name: 'dynalite-operations',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]dynalite[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const patched = source
        .replace("require('./actions/' + action)", "require('./actions/' + action + '.js')")
        .replace("require('./validations/' + action)", "require('./validations/' + action + '.js')");
      if (patched === source) throw new Error('dynalite no longer loads its operations as expected: revisit this plugin');
      return { contents: patched, loader: 'js' };
    });
  },
};

async function main() {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: ['cli', 'function-worker', 'jwks-interceptor'].map((name) => path.join(root, 'local', `${name}.ts`)),
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    keepNames: true,
    mainFields: ['module', 'main'],
    legalComments: 'none',
    banner: { js: '#!/usr/bin/env node' },
    // dynalite requires `level` (LevelDB on disk, a native addon) even in memory; the local runtime runs it in memory.
    alias: { level: path.join(root, 'local', 'disk-level-unavailable.ts') },
    // Only used when the runtime runs from its TypeScript sources (tests, development).
    external: ['ts-node'],
    plugins: [dynaliteOperations],
    logLevel: 'warning',
  });
  cpSync(path.join(root, 'examples', 'web'), path.join(outdir, 'web'), { recursive: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
