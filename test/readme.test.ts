import { readFileSync } from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const root = path.join(__dirname, '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

// CI runs the README's test command verbatim; this keeps the two from drifting apart.
describe('README', () => {
  test('shows the exact test command that CI runs', () => {
    // GIVEN the command .ci/run executes
    const ciScript = readFileSync(path.join(root, '.ci', 'run'), 'utf8');
    const match = ciScript.match(/^TEST_COMMAND='([^']+)'$/m);
    expect(match).not.toBeNull();
    // THEN the README tells a new user to run the same command
    expect(readme).toContain(match![1]);
  });

  test('shows the command that installs and starts the local runtime', () => {
    expect(readme).toContain('npm ci && npm start');
  });

  test('has TypeScript examples that type-check against the library as a user imports it', () => {
    // GIVEN every ```ts block of the README, as a file of its own at the repository root
    const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(snippets.length).toBeGreaterThan(0);
    const files = new Map(snippets.map((code, i) => [path.join(root, `readme-example-${i}.ts`), code]));

    // WHEN they are compiled, 'cdk-cognito-websocket-api' resolving to this package's source
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      types: ['node'],
      paths: {
        'cdk-cognito-websocket-api': [path.join(root, 'src', 'index.ts')],
        'cdk-cognito-websocket-api/runtime': [path.join(root, 'runtime', 'index.ts')],
      },
    };
    const host = ts.createCompilerHost(options);
    const readFromDisk = host.getSourceFile.bind(host);
    host.fileExists = ((exists) => (name: string) => files.has(name) || exists(name))(host.fileExists.bind(host));
    host.getSourceFile = (name, languageVersion, ...rest) => files.has(name)
      ? ts.createSourceFile(name, files.get(name)!, languageVersion, true)
      : readFromDisk(name, languageVersion, ...rest);
    const program = ts.createProgram([...files.keys()], options, host);

    // THEN they compile without a single diagnostic
    const diagnostics = ts.getPreEmitDiagnostics(program)
      .map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
  });
});
