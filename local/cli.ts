/**
 * `cdk-cognito-websocket-api local [--app <cdk.out directory | app command>] [--port N] [--json] [--region R]
 *   [--idle-timeout S] [--max-connection-age S] [--no-demo-user] [--demo-password P] [--users <file>] [--auto-confirm]
 *   [--allow-origin <origin>]...`
 *
 * Synthesizes the CDK app of the current directory (its cdk.json `app` command), or takes an existing cloud
 * assembly, and serves its WebSocket APIs on 127.0.0.1 until Ctrl-C.
 */
import { spawn } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { codeAnnouncementEvent, codeAnnouncementLine } from './code-announcement';
import type { CodeDelivery } from './identity';
import { parseUserSeedFile, SeedUser } from './identity/user-seed-file';
import { LocalRuntime, startLocalRuntime } from './local-runtime';
import { parseAllowedOrigin } from './loopback-request-policy';

const USAGE = `Usage: cdk-cognito-websocket-api local [options]

Serves the WebSocket APIs of a CDK app on 127.0.0.1 with a local Cognito, DynamoDB and the app's own handlers.

Options:
  --app <dir|command>        cloud assembly directory (cdk.out) or the command that runs the app
                             (default: the "app" of ./cdk.json, else ./cdk.out)
  --port <n>                 port of the web client and Cognito endpoint; the APIs use the next ports
                             (default: 3000; 0 = any free ports)
  --json                     print the endpoints as one JSON line on stdout
  --region <region>          region of the local resources (default: the app's, else AWS_REGION, else us-east-1)
  --idle-timeout <s>         close a connection idle this long (default: 600, API Gateway's)
  --max-connection-age <s>   close a connection this old (default: 7200, API Gateway's)
  --no-demo-user             do not create the demo user
  --demo-password <password> the demo user's password (default: a random one at each start, printed here)
  --allow-origin <origin>    let web pages of this origin (e.g. https://app.example.com) call the runtime from a
                             browser; repeatable (default: loopback pages only, http://localhost:* and the like)
  --users <file>             create these users at start: a JSON array of
                             { "username", "password", "email"?, "attributes"?, "groups"? }
  --auto-confirm             confirm users at sign-up; otherwise they confirm with the code printed here
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === undefined) {
    process.stdout.write(USAGE);
    return command === undefined ? 1 : 0;
  }
  if (command !== 'local') {
    process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
    return 1;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      'app': { type: 'string' },
      'port': { type: 'string', default: '3000' },
      'json': { type: 'boolean', default: false },
      'region': { type: 'string' },
      'idle-timeout': { type: 'string' },
      'max-connection-age': { type: 'string' },
      'no-demo-user': { type: 'boolean', default: false },
      'users': { type: 'string' },
      'auto-confirm': { type: 'boolean', default: false },
      'demo-password': { type: 'string' },
      'allow-origin': { type: 'string', multiple: true, default: [] },
      'help': { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const users = values.users ? readUsers(values.users) : undefined;
  const cloudAssembly = await synthesize(values.app);
  // Codes sent before the endpoints line wait for it: a program reading --json expects that line first.
  const codes = new CodeAnnouncer(values.json!);
  const runtime = await startLocalRuntime({
    cloudAssembly,
    port: wholeNumber('--port', values.port!),
    region: values.region,
    idleTimeoutSeconds: values['idle-timeout'] ? wholeNumber('--idle-timeout', values['idle-timeout']) : undefined,
    maxConnectionAgeSeconds: values['max-connection-age'] ? wholeNumber('--max-connection-age', values['max-connection-age']) : undefined,
    demoUser: values['no-demo-user'] ? false : { password: values['demo-password'] },
    allowedOrigins: allowedOrigins(values['allow-origin']!),
    users,
    autoConfirmSignUp: values['auto-confirm'],
    onCode: (delivery) => codes.announce(delivery),
    log: (entry) => process.stderr.write(JSON.stringify(entry) + '\n'),
  });
  // Listen for Ctrl-C before telling anyone the endpoints: a caller may stop us as soon as it reads them.
  const interrupted = untilInterrupted();
  printEndpoints(runtime, values.json!, values['auto-confirm']!);
  codes.start();
  await interrupted;
  await runtime.stop();
  return 0;
}

function wholeNumber(option: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new UsageError(`${option} must be a whole number, got "${value}"`);
  return number;
}

class UsageError extends Error {}

function allowedOrigins(values: string[]): string[] {
  try {
    return values.map(parseAllowedOrigin);
  } catch (error) {
    throw new UsageError(`--allow-origin: ${(error as Error).message}`);
  }
}

function readUsers(file: string): SeedUser[] {
  if (!existsSync(file)) throw new UsageError(`--users: ${file} does not exist`);
  try {
    return parseUserSeedFile(readFileSync(file, 'utf8'), file);
  } catch (error) {
    throw new UsageError(`--users: ${(error as Error).message}`);
  }
}

/** Prints each code the identity endpoint sends, where Cognito would have emailed it: a line, or a JSON event line. */
class CodeAnnouncer {
  private pending: CodeDelivery[] | undefined = [];

  constructor(private readonly json: boolean) {}

  announce(delivery: CodeDelivery): void {
    if (this.pending) this.pending.push(delivery);
    else this.write(delivery);
  }

  /** From now on codes are printed as they come; the ones sent so far first. */
  start(): void {
    const pending = this.pending ?? [];
    this.pending = undefined;
    for (const delivery of pending) this.write(delivery);
  }

  private write(delivery: CodeDelivery): void {
    process.stdout.write(`${this.json ? JSON.stringify(codeAnnouncementEvent(delivery)) : codeAnnouncementLine(delivery)}\n`);
  }
}

/** The cloud assembly directory to serve: given, or written by running the app as the CDK CLI would. */
async function synthesize(app: string | undefined): Promise<string> {
  if (app && existsSync(path.join(app, 'manifest.json'))) return path.resolve(app);
  let appCommand = app;
  let context: Record<string, unknown> = {};
  if (!appCommand && existsSync('cdk.json')) {
    const cdkJson = JSON.parse(readFileSync('cdk.json', 'utf8'));
    appCommand = cdkJson.app;
    context = { ...cdkJson.context };
  }
  if (!appCommand) {
    if (existsSync(path.join('cdk.out', 'manifest.json'))) return path.resolve('cdk.out');
    throw new UsageError('no CDK app here: run in a directory with cdk.json, or give --app <cdk.out directory | app command>');
  }
  if (existsSync('cdk.context.json')) context = { ...context, ...JSON.parse(readFileSync('cdk.context.json', 'utf8')) };
  const outdir = path.resolve('cdk.out');
  process.stderr.write(`synthesizing: ${appCommand}\n`);
  // What the CDK CLI gives the app: the output directory and the context; no AWS call, no lookup.
  const status = await new Promise<number>((resolve, reject) => {
    const child = spawn(appCommand!, {
      shell: true,
      // The app's own output goes to stderr: stdout carries only the endpoints (one JSON line with --json).
      stdio: ['ignore', 2, 2],
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
  if (status !== 0) throw new UsageError(`the app command failed (exit status ${status}): ${appCommand}`);
  return outdir;
}

function printEndpoints(runtime: LocalRuntime, json: boolean, autoConfirm: boolean): void {
  // The documented endpoints line: what /config.json serves, plus the demo user's credentials, and for a process on
  // this machine (a backend using the runtime API, a script) the local DynamoDB and the tables' names by logical id.
  const endpoints = { ...runtime.endpoints, demoUser: runtime.demoUser, dynamoDbEndpoint: runtime.dynamoDbEndpoint, tables: runtime.tableNames };
  if (json) {
    process.stdout.write(JSON.stringify(endpoints) + '\n');
    return;
  }
  const lines = ['cdk-cognito-websocket-api local runtime (no AWS account involved)', ''];
  for (const api of runtime.apis) {
    lines.push(`  WebSocket API     ${api.websocketUrl}   ${api.stackName}/${api.name}, routes ${api.routeKeys.join(' ')}`);
    lines.push(`  @connections      ${api.callbackUrl}`);
  }
  for (const functionUrl of runtime.functionUrls) {
    lines.push(`  Function URL      ${functionUrl.url}   ${functionUrl.stackName}/${functionUrl.logicalId}`);
  }
  lines.push(
    `  Cognito endpoint  ${runtime.cognitoEndpoint}   region ${runtime.region}`,
    `  User pool         ${runtime.userPoolId ?? '(none in the app)'}   client ${runtime.userPoolClientId ?? '-'}`,
    `  DynamoDB          ${runtime.dynamoDbEndpoint}   tables ${Object.values(runtime.tableNames).join(', ') || '-'}`,
    `  Web client        ${runtime.webUrl}`,
  );
  if (runtime.demoUser) {
    const groups = runtime.demoUser.groups?.length ? `   groups ${runtime.demoUser.groups.join(', ')}` : '';
    lines.push(`  Demo user         ${runtime.demoUser.username} / ${runtime.demoUser.password}${groups}`);
  }
  lines.push(
    '',
    autoConfirm
      ? 'Users are confirmed at sign-up (--auto-confirm).'
      : 'Codes the identity endpoint sends (sign-up, password reset, email change) appear below; --auto-confirm skips sign-up codes.',
    'Press Ctrl-C to stop.',
    '',
  );
  process.stdout.write(lines.join('\n'));
}

function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.stderr.write(`\n${signal}: stopping\n`);
      // A second Ctrl-C while stopping leaves at once.
      process.once('SIGINT', () => process.exit(130));
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (error) => {
      const message = error?.code === 'EADDRINUSE'
        ? `port ${error.port} is in use: give another with --port <n>, or --port 0 for any free ports`
        : error instanceof Error ? error.message : String(error);
      process.stderr.write(`${message}\n`);
      process.exit(1);
    },
  );
}
