/**
 * Builds the runtime API (runtime/) into lib/runtime/ for the package's `./runtime` export: a CommonJS and an ES
 * module build by esbuild (src/wire-contract.ts inlined, the AWS SDK left external for the environment to provide),
 * and their declarations by the TypeScript compiler, `.d.ts` for `require` and `.d.mts` for `import`. Run by the
 * `bundle:runtime` task.
 */
import { mkdirSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { build } from 'esbuild';
import * as ts from 'typescript';

const root = path.join(__dirname, '..');
const sourceDir = path.join(root, 'runtime');
const outdir = path.join(root, 'lib', 'runtime');

async function main() {
  rmSync(outdir, { recursive: true, force: true });
  for (const format of ['cjs', 'esm'] as const) {
    await build({
      entryPoints: [path.join(sourceDir, 'index.ts')],
      outfile: path.join(outdir, format === 'cjs' ? 'index.js' : 'index.mjs'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format,
      // A library: the application's bundler minifies; stack traces stay readable.
      minify: false,
      external: ['@aws-sdk/*'],
      legalComments: 'none',
      logLevel: 'warning',
    });
  }
  emitDeclarations();
}

/**
 * The declarations of runtime/*.ts, written beside the builds. They must not import outside runtime/ (the
 * wire-contract values are inlined in the builds; its types are not shipped), so a declaration that does fails
 * the build.
 */
function emitDeclarations(): void {
  const configFile = ts.readConfigFile(path.join(sourceDir, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, sourceDir);
  // rootDir is the repository (runtime/ imports src/wire-contract.ts); every file is written through the callback below.
  const emitRoot = path.join(outdir, 'emitted');
  const options: ts.CompilerOptions = {
    ...parsed.options, noEmit: false, declaration: true, emitDeclarationOnly: true, declarationMap: false, outDir: emitRoot, rootDir: root,
  };
  const program = ts.createProgram([path.join(sourceDir, 'index.ts')], options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) {
    throw new Error(ts.formatDiagnosticsWithColorAndContext(diagnostics, ts.createCompilerHost(options)));
  }
  const result = program.emit(undefined, (fileName, text) => {
    const relative = path.relative(path.join(emitRoot, 'runtime'), fileName);
    if (relative.startsWith('..')) return; // src/wire-contract.ts: its values are inlined in the builds
    if (/from '\.\.\//.test(text) || /import\("\.\.\//.test(text)) {
      throw new Error(`${relative} imports from outside runtime/: keep the runtime API's types in runtime/`);
    }
    const target = path.join(outdir, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    // The same declarations for `import`: a .d.mts file whose relative imports name the .mjs side.
    writeFileSync(target.replace(/\.d\.ts$/, '.d.mts'), text.replace(/((?:from |import\()['"]\.\/[^'"]+?)(['"])/g, '$1.mjs$2'));
  });
  if (result.emitSkipped) throw new Error('the runtime API declarations were not emitted');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
