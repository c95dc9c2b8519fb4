import { awscdk, javascript, JsonFile } from 'projen';
import { HandlerAssets } from './src/wire-contract';

/** The version of the first release; later versions follow from the commit history. */
const FIRST_VERSION = '0.1.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-cognito-websocket-api',
  description:
    'An AWS CDK construct: an API Gateway WebSocket API that only users signed in to Amazon Cognito can open, ' +
    'with every live connection tracked in DynamoDB.',
  keywords: ['cdk', 'awscdk', 'websocket', 'api-gateway', 'cognito', 'jwt', 'dynamodb'],
  author: 'cdk-cognito-websocket-api contributors',
  authorAddress: 'noreply@example.com',
  repositoryUrl: 'https://github.com/cdk-cognito-websocket-api/cdk-cognito-websocket-api.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  sampleCode: false,

  // The lowest aws-cdk-lib that has every feature the construct uses: Runtime.NODEJS_22_X arrived in 2.168.0;
  // the dev dependency is pinned to it, so the tests prove the minimum works.
  cdkVersion: '2.168.0',
  // Nothing newer than constructs 10.0 is used; 10.0.5 is the lowest that cdk-nag (a test dependency) admits.
  constructsVersion: '10.0.5',
  jsiiVersion: '~6.0.0',
  minNodeVersion: '20.0.0',

  // CI is .ci/run on a clean clone; no GitHub workflows or bots. A maintainer cuts a release by hand with
  // `npm run release`, the task recomposed below.
  github: false,
  release: true,
  // Below 1.0 the API may still change between minor versions; jsii marks every API experimental in .jsii and API.md.
  stability: 'experimental',
  // No release tag yet: the first release is FIRST_VERSION, not projen's 0.0.0. After it, the Conventional Commits
  // since the last tag decide (below 1.0 a breaking change bumps the minor version, anything else the patch).
  nextVersionCommand: `node -e "process.stdout.write(process.env.LATEST_TAG ? '' : '${FIRST_VERSION}')"`,
  depsUpgrade: false,
  pullRequestTemplate: false,

  // Lambda code is bundled at build time; nothing of it is a runtime dependency of the library.
  devDeps: [
    '@aws-sdk/client-apigatewaymanagementapi',
    '@aws-sdk/client-dynamodb',
    '@aws-sdk/client-cognito-identity-provider',
    // The one credential source the handler bundles keep (lambda/environment-credential-provider.ts).
    '@aws-sdk/credential-provider-env',
    '@types/aws-lambda',
    '@types/ws',
    // Real Cognito clients, driven against the local identity endpoint in tests: their default sign-in is SRP.
    'amazon-cognito-identity-js',
    'aws-amplify@^6',
    'aws-cdk',
    'aws-jwt-verify',
    // The newest cdk-nag whose peer range admits the aws-cdk-lib floor above.
    'cdk-nag@2.36.50',
    // The newest aws-cdk-lib, cdk-nag and constructs, installed in newest-cdk/ (see NEWEST_CDK below).
    'newest-cdk@file:newest-cdk',
    'dynalite',
    'esbuild',
    'playwright-core',
    // Mutation testing (`npm run mutation`); 9.x is the newest line that runs on Node 20, the floor above.
    '@stryker-mutator/core@9.6.1',
    '@stryker-mutator/jest-runner@9.6.1',
    'ws',
    // examples/ run under ts-node and import the package by its name: this maps the name to src/.
    'tsconfig-paths@^4',
    // The token verifiers a user would pick instead of aws-jwt-verify, measured beside it by `npm run bench`.
    'jose',
    'jsonwebtoken',
    'jwk-to-pem',
    '@types/jsonwebtoken',
    '@types/jwk-to-pem',
  ],

  jestOptions: {
    // Updating a snapshot is a deliberate act (`npx projen test:update`), never a side effect of CI.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 60_000,
      // Tests run the shipped bundles (assets/): built once, before any test file, when older than their sources.
      globalSetup: '<rootDir>/test/build-bundles.ts',
      // Stryker's sandboxes hold a copy of the tests.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/.stryker-tmp'],
      modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp'],
      // examples/ import the package by its name, as a user does; in this repository the name is src/.
      moduleNameMapper: {
        '^cdk-cognito-websocket-api$': '<rootDir>/src/index.ts',
        '^cdk-cognito-websocket-api/runtime$': '<rootDir>/runtime/index.ts',
      },
    },
  },
  eslintOptions: {
    // lambda/ imports devDependencies on purpose: esbuild bundles them into assets/ at build time.
    dirs: ['src'],
    // local/ (the local runtime) is bundled by esbuild into assets/local/: ws and dynalite are build-time dependencies.
    // runtime/ (the `./runtime` export) imports the AWS SDK, which the environment provides (see RUNTIME_SDK below).
    devdirs: ['lambda', 'local', 'runtime', 'test', 'examples', 'bench', 'projenrc', '.projenrc.ts'],
  },
});

for (const dir of ['lambda', 'examples']) {
  project.tsconfigDev.addInclude(`${dir}/**/*.ts`);
}
// ts-jest compiles each test file on its own (isolatedModules), without type-checking it: the test task
// type-checks test/ first, so a type error in a test fails the build instead of hiding behind a passing run.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

// examples/ import the package by its name, as a user does: in this repository the name maps to src/ for the
// type checker (test/ and examples/ tsconfigs), ts-node (tsconfig-paths) and jest (moduleNameMapper).
const PACKAGE_PATHS = {
  'cdk-cognito-websocket-api': ['../src/index.ts'],
  'cdk-cognito-websocket-api/runtime': ['../runtime/index.ts'],
};
project.tsconfigDev.file.addOverride('compilerOptions.paths', PACKAGE_PATHS);
new javascript.TypescriptConfig(project, {
  fileName: 'examples/tsconfig.json',
  extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
  compilerOptions: { noEmit: true, rootDir: '..', paths: PACKAGE_PATHS },
  include: ['**/*.ts'],
});
project.eslint?.file.addOverride('settings.import/resolver.typescript.project', ['./tsconfig.json', './examples/tsconfig.json', './bench/tsconfig.json']);
project.eslint?.file.addOverride('settings.import/resolver.typescript.noWarnOnMultipleProjects', true);

// The folder boundary: src/ is CDK only and is not deployed with the handlers; lambda/ runs in Lambda and
// local/ on a developer's machine, neither with aws-cdk-lib. The one module they share is src/wire-contract.ts.
const ONLY_WIRE_CONTRACT = 'Of src/, only src/wire-contract.ts may be imported here: it holds every name both sides share and imports nothing.';
project.eslint?.addRules({
  'import/no-restricted-paths': ['error', {
    zones: [
      { target: './lambda', from: './src', except: ['./wire-contract.ts'], message: ONLY_WIRE_CONTRACT },
      { target: './local', from: './src', except: ['./wire-contract.ts'], message: ONLY_WIRE_CONTRACT },
      { target: './src', from: './lambda', message: 'src/ is the CDK construct: it deploys lambda/ as bundled assets, never imports it.' },
      { target: './src', from: './local', message: 'src/ is the CDK construct: the local runtime is a separate program.' },
      { target: './lambda', from: './local', message: 'lambda/ is deployed as is: the local runtime runs it unchanged, never the other way round.' },
      { target: './runtime', from: './src', except: ['./wire-contract.ts'], message: ONLY_WIRE_CONTRACT },
      { target: './runtime', from: ['./lambda', './local'], message: 'runtime/ is a public entry point of the package: the handlers use it, never the other way round.' },
      { target: './src', from: './runtime', message: 'src/ is the CDK construct: the runtime API is a separate entry point that never loads aws-cdk-lib.' },
    ],
  }],
});
// Everything under the boundary imports src/wire-contract.ts, so it must stay free of imports itself.
const WIRE_CONTRACT_IMPORTS_NOTHING = 'src/wire-contract.ts imports nothing, so lambda/ and local/ can include it without pulling in anything else.';
project.eslint?.addOverride({
  files: ['src/wire-contract.ts'],
  rules: {
    'no-restricted-syntax': ['error',
      ...['ImportDeclaration', 'ImportExpression', 'TSImportEqualsDeclaration', 'TSImportType', 'ExportAllDeclaration',
        'ExportNamedDeclaration[source]', "CallExpression[callee.name='require']"]
        .map((selector) => ({ selector, message: WIRE_CONTRACT_IMPORTS_NOTHING }))],
  },
});

// Synthesize examples/basic offline with the CDK CLI, then print what the stack holds.
const synthExample = project.addTask('synth:example', {
  description: 'Synthesize examples/basic to examples/basic/cdk.out and summarize it',
  cwd: 'examples/basic',
  // Offline: no telemetry to send.
  env: { CDK_DISABLE_CLI_TELEMETRY: 'true' },
});
synthExample.exec('cdk synth --quiet --no-notices --no-version-reporting');
synthExample.exec('ts-node --transpile-only print-template-summary.ts cdk.out BackendStack');
project.gitignore.exclude('/examples/basic/cdk.out/', '/examples/chat/cdk.out/', '/examples/sessions/cdk.out/');

// ESLint's project service looks for the nearest tsconfig.json above each file; the root one
// covers only src/, so lambda/ gets its own (type-check only: esbuild builds the handlers).
new javascript.TypescriptConfig(project, {
  fileName: 'lambda/tsconfig.json',
  extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
  compilerOptions: { noEmit: true, rootDir: '..' },
  include: ['**/*.ts'],
});

// Bundle every handler once, at library build time, so a consumer's `cdk synth`
// needs neither esbuild, Docker nor `npm ci`.
// --main-fields=module,main: the AWS SDK's ES module builds tree-shake, which makes the
// DynamoDB and management API bundles about 40 % smaller than their CommonJS builds.
// --alias: the SDK clients' default credential chain becomes the environment variables Lambda and the local runtime
// set (lambda/environment-credential-provider.ts); the chain's other sources were about 40 % of what remained.
const bundle = project.addTask('bundle', { description: 'Bundle the Lambda handlers into assets/' });
for (const name of Object.values(HandlerAssets)) {
  bundle.exec(
    `esbuild lambda/${name}/index.ts --bundle --platform=node --target=node22 --format=cjs --minify ` +
    '--main-fields=module,main --legal-comments=none ' +
    '--alias:@aws-sdk/credential-provider-node=./lambda/environment-credential-provider.ts ' +
    `--outfile=assets/${name}/index.js`,
  );
}

// The local runtime (local/: serves a synthesized app's WebSocket API on localhost, with no AWS account) is not
// jsii: it is type-checked against its own tsconfig and bundled by esbuild into assets/local/, which ships in the
// package with the example web client beside it.
new javascript.TypescriptConfig(project, {
  fileName: 'local/tsconfig.json',
  extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
  compilerOptions: { noEmit: true, rootDir: '..' },
  include: ['**/*.ts', '../src/wire-contract.ts'],
});
const bundleLocal = project.addTask('bundle:local', { description: 'Type-check and bundle the local runtime into assets/local/' });
bundleLocal.exec('tsc -p local/tsconfig.json');
bundleLocal.exec('ts-node --project projenrc/tsconfig.json projenrc/bundle-local-runtime.ts');
bundle.spawn(bundleLocal);
project.preCompileTask.spawn(bundle);
project.addBins({ 'cdk-cognito-websocket-api': 'assets/local/cli.js' });

// `npm start`: bundle the handlers and the local runtime, synthesize examples/basic, serve it locally. No jsii
// compile: the example runs the construct from src/ through ts-node, so lib/ is not needed (saves ~30 s).
const start = project.addTask('start', { description: 'Bundle, synthesize examples/basic and serve it on localhost (no AWS account)' });
start.spawn(bundle);
start.spawn(synthExample);
start.exec('node assets/local/cli.js local --app examples/basic/cdk.out', { receiveArgs: true });

// Mutation testing: how many deliberate breaks of the authorization code the tests catch. Slow (minutes), so it is
// its own task, outside `test` and `build`. It mutates the handlers' runtime code (not the index.ts wiring, which
// only builds real clients) and the gateway's authorization path: identity-source check, authorizer invocation,
// policy evaluation. Only the tests that exercise that code run against each mutant.
const STRYKER_TESTS = [
  'test/lambda/authorizer-config.test.ts',
  'test/lambda/authorizer-jwks-faults.test.ts',
  'test/lambda/authorizer-token-matrix.test.ts',
  'test/lambda/cognito-token-verifier.test.ts',
  'test/lambda/connect-disconnect.test.ts',
  'test/lambda/echo.test.ts',
  'test/lambda/refusal-reasons.test.ts',
  'test/lambda/token-source.test.ts',
  'test/local/connect-authorization.test.ts',
  'test/local/websocket-gateway.test.ts',
];
new JsonFile(project, 'stryker.config.json', {
  // Stryker warns about any key it does not know, projen's "//" marker included.
  marker: false,
  obj: {
    $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    packageManager: 'npm',
    testRunner: 'jest',
    coverageAnalysis: 'perTest',
    mutate: [
      'lambda/**/*.ts',
      '!lambda/**/index.ts',
      // The gateway's $connect authorization: identity sources, the authorizer's verdict and policy evaluation, and
      // the gateway method that applies them.
      'local/connect-authorization.ts',
      'local/websocket-gateway.ts:254-265',
    ],
    jest: {
      projectType: 'custom',
      enableFindRelatedTests: false,
      config: {
        testMatch: STRYKER_TESTS.map((file) => `<rootDir>/${file}`),
        collectCoverage: false,
        reporters: ['default'],
        // The mutated tests need no bundle, and bundling instrumented sources would only cost time.
        globalSetup: null,
      },
    },
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: 'reports/mutation/mutation.html' },
    jsonReporter: { fileName: 'reports/mutation/mutation.json' },
    tempDirName: '.stryker-tmp',
    concurrency: 2,
    timeoutMS: 10_000,
  },
});
project.addTask('mutation', { description: 'Mutation testing of the authorizer, the handlers and the gateway\'s authorization (Stryker)', exec: 'stryker run' });
project.gitignore.exclude('/reports/mutation/', '/.stryker-tmp*/');
project.npmignore?.exclude('/stryker.config.json', '/reports/');

// `npm run bench [-- --quick]`: every speed and size claim measured side by side in one run, written to
// bench/RESULTS.md. Never part of `test` or `build` (minutes of CPU); a smoke test runs the quick mode. It needs the
// bundles in assets/ and compiles what else it needs (src/ for the synth apps) itself.
new javascript.TypescriptConfig(project, {
  fileName: 'bench/tsconfig.json',
  extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
  compilerOptions: { noEmit: true, rootDir: '..', paths: PACKAGE_PATHS },
  include: ['**/*.ts'],
});
const benchTask = project.addTask('bench', { description: 'Measure every figure of bench/RESULTS.md side by side and rewrite it (--quick: tiny sizes)' });
benchTask.spawn(bundle);
benchTask.exec('ts-node --project bench/tsconfig.json --transpile-only bench/run-benchmarks.ts', { receiveArgs: true });

// The runtime API (runtime/): `cdk-cognito-websocket-api/runtime`, for backends and route handlers. Not jsii (no
// aws-cdk-lib, and it exposes AWS SDK types): built beside jsii's output into lib/runtime/ as CommonJS, an ES module and
// declarations for both. The AWS SDK clients it imports are no dependency of the package: jsii refuses a peer
// dependency that is not a jsii module and would bundle a regular one into the tarball; Lambda's Node.js runtimes
// provide SDK v3, bundlers leave `@aws-sdk/*` external, and elsewhere the application installs the two clients.
new javascript.TypescriptConfig(project, {
  fileName: 'runtime/tsconfig.json',
  extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
  compilerOptions: { noEmit: true, rootDir: '..' },
  include: ['**/*.ts', '../src/wire-contract.ts'],
});
const bundleRuntime = project.addTask('bundle:runtime', {
  description: 'Build the runtime API (runtime/) into lib/runtime/: CommonJS, ES module and their declarations',
});
bundleRuntime.exec('ts-node --project projenrc/tsconfig.json projenrc/bundle-runtime.ts');
// After jsii, which owns lib/ and writes the rest of it.
project.compileTask.spawn(bundleRuntime);
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './runtime': {
    import: { types: './lib/runtime/index.d.mts', default: './lib/runtime/index.mjs' },
    require: { types: './lib/runtime/index.d.ts', default: './lib/runtime/index.js' },
  },
  // Tools read these through the package name (jsii its assembly).
  './package.json': './package.json',
  './.jsii': './.jsii',
});
// TypeScript with `moduleResolution: node` (a `cdk init` app's) ignores `exports`: this finds the runtime's types there.
project.package.addField('typesVersions', { '*': { runtime: ['lib/runtime/index.d.ts'] } });

/**
 * `synth:<name>` synthesizes examples/<name>; `start:<name>` bundles the handlers, synthesizes it and serves it
 * locally. `serves` ends the start task's description, appended as written.
 */
function addExampleTasks(name: string, serves: string): void {
  const synth = project.addTask(`synth:${name}`, {
    description: `Synthesize examples/${name} to examples/${name}/cdk.out`,
    cwd: `examples/${name}`,
    env: { CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  synth.exec('cdk synth --quiet --no-notices --no-version-reporting');
  const serve = project.addTask(`start:${name}`, {
    description: `Bundle, synthesize examples/${name} and serve it on localhost${serves}`,
  });
  serve.spawn(bundle);
  serve.spawn(synth);
  serve.exec(`node assets/local/cli.js local --app examples/${name}/cdk.out`, { receiveArgs: true });
}

// `npm run start:chat`: the chat example (examples/chat), served locally with its web page at /chat.html. Its handlers
// are NodejsFunctions, bundled by esbuild when the app is synthesized.
addExampleTasks('chat', '; the chat page is /chat.html');
// `npm run start:sessions`: the sessions example (examples/sessions): the token in the subprotocol, access tokens with
// a scope, a required group, a connection limit; served locally with the web client, whose demo user is a member.
addExampleTasks('sessions', ' with the web client');

// The construct's tests run twice: on the peer floor above, and on the newest aws-cdk-lib, cdk-nag (3.x, a
// policy-validation plugin) and constructs, pinned here so CI stays deterministic. The newest live in their own
// install directory, newest-cdk/, a local package of the root lockfile (so `npm ci` installs both): their peer
// ranges exclude the floor, so they cannot sit beside it in node_modules/. The jest project "newest" maps the
// names to that directory, for the tests and for every module they load (cdk-nag's own `require('aws-cdk-lib')`).
const NEWEST_CDK = { 'aws-cdk-lib': '2.276.0', 'cdk-nag': '3.0.2', 'constructs': '10.8.1' };
new JsonFile(project, 'newest-cdk/package.json', {
  obj: {
    name: 'newest-cdk',
    private: true,
    description: 'The newest aws-cdk-lib, cdk-nag and constructs that the construct is tested on (jest project "newest")',
    dependencies: NEWEST_CDK,
  },
});
project.npmignore?.exclude('/newest-cdk/');
/** What runs on the newest as well: everything that synthesizes the construct, and the packed library in a fresh app. */
const NEWEST_TESTS = [
  'test/cognito-authorized-web-socket-api.test.ts',
  'test/api-description-metadata.test.ts',
  'test/cdk-nag.test.ts',
  'test/synth-warnings.test.ts',
  'test/package/consumer.test.ts',
];
const newestModules = Object.fromEntries(Object.keys(NEWEST_CDK).flatMap((name) => [
  [`^${name}$`, `<rootDir>/newest-cdk/node_modules/${name}`],
  [`^${name}/(.*)$`, `<rootDir>/newest-cdk/node_modules/${name}/$1`],
]));
const jestConfig = project.jest!.config;
// With `projects`, jest takes these per project; the root keeps the options of the run as a whole.
const PROJECT_OPTIONS = ['clearMocks', 'globalSetup', 'moduleNameMapper', 'modulePathIgnorePatterns', 'testMatch', 'testPathIgnorePatterns', 'transform'];
jestConfig.projects = () => {
  const floor = Object.fromEntries(PROJECT_OPTIONS.map((option) => [option, resolveLazy(jestConfig[option])]));
  return [
    { displayName: 'floor', ...floor },
    {
      displayName: 'newest',
      ...floor,
      testMatch: NEWEST_TESTS.map((file) => `<rootDir>/${file}`),
      moduleNameMapper: { ...floor.moduleNameMapper, ...newestModules },
    },
  ];
};
for (const option of PROJECT_OPTIONS) {
  project.package.file.addDeletionOverride(`jest.${option}`);
}

/** projen holds some options as functions it calls when it writes the file (testMatch). */
function resolveLazy(value: unknown): any {
  return typeof value === 'function' ? value() : value;
}

project.gitignore.exclude('/assets/');
project.npmignore?.include('/assets/');
project.npmignore?.exclude('/lambda/', '/local/', '/runtime/', '/examples/', '/bench/', '/.ci/');

// `npm run release` cuts a release from a clean work tree, in one command. projen's own release task bumps, builds and
// resets the version; it writes no CHANGELOG.md and no tag (its GitHub workflow does), so it is recomposed here:
//  1. refuse a work tree with changes: the tag must describe exactly what is packed;
//  2. bump: the version from the latest tag and the Conventional Commits since it (projen, commit-and-tag-version),
//     written into package.json and, with the generated changelog entry, into dist/;
//  3. add that version's entry to CHANGELOG.md and commit it, before the build, so the tarball carries it;
//  4. build: compile, test, and pack dist/js/*.tgz with the bumped version;
//  5. reset package.json to 0.0.0 (projen's convention: the version lives in the tag and in the tarball, so no commit
//     edits it and parallel branches never conflict on it), and fail if the build changed a committed file;
//  6. `npm publish --dry-run` on the tarball, offline: it is publishable;
//  7. tag the release commit.
// Run again with no new commit, it rebuilds the same version from the same commit: no new entry, commit or tag.
const RELEASE_NOTES_DIR = 'release-notes';
const releaseTask = project.tasks.tryFind('release')!;
const bumpTask = project.tasks.tryFind('bump')!;
const unbumpTask = project.tasks.tryFind('unbump')!;
const releaseEnv = {
  BUMPFILE: bumpTask.envVars.BUMPFILE,
  RELEASETAG: bumpTask.envVars.RELEASETAG,
  CHANGELOG: bumpTask.envVars.CHANGELOG,
  PROJECT_CHANGELOG: 'CHANGELOG.md',
  RELEASE_NOTES: RELEASE_NOTES_DIR,
};
const releaseScript = (name: string) => `ts-node --project projenrc/tsconfig.json projenrc/${name}.ts`;
const releaseChangelog = project.addTask('release:changelog', {
  description: 'Add the bumped version\'s entry to CHANGELOG.md and commit it (a step of release)',
  env: releaseEnv,
  exec: releaseScript('release-changelog'),
});
const releaseTag = project.addTask('release:tag', {
  description: 'Tag the release commit, unless its tag already marks it (a step of release)',
  env: releaseEnv,
  exec: releaseScript('release-tag'),
});
releaseTask.reset(releaseScript('release-preflight'));
releaseTask.execArgs(['rm', '-fr', 'dist']);
releaseTask.spawn(bumpTask);
releaseTask.spawn(releaseChangelog);
releaseTask.spawn(project.buildTask);
releaseTask.spawn(unbumpTask);
releaseTask.exec('git diff --ignore-space-at-eol --exit-code');
releaseTask.exec('npm publish --dry-run --offline dist/js/*.tgz');
releaseTask.spawn(releaseTag);
// projen skips the bump when HEAD is a release commit; here a release run twice rebuilds the version HEAD is tagged with.
project.tryFindObjectFile('.projen/tasks.json')?.addDeletionOverride('tasks.bump.condition');
project.npmignore?.exclude(`/${RELEASE_NOTES_DIR}/`, '/SECURITY.md');

project.synth();
