import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import {
  CognitoIdentityProviderClient, ConfirmSignUpCommand, InitiateAuthCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { synthesizeRequiredGroupsApp } from './fixtures/required-groups-app';
import { connect } from './websocket-test-client';

// The shipped bin, run from a copy outside the repository, as a consumer's `npx cdk-cognito-websocket-api` runs it.
const builtRuntime = path.join(__dirname, '..', '..', 'assets', 'local');
const PASSWORD = 'Correct-horse-1';
const DEADLINE_MS = 30_000;

/** The CLI's stdout, line by line, with a deadline on each wait. */
class RunningCli {
  readonly lines: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<number | null>;
  private waiters: Array<() => void> = [];

  constructor(readonly child: ChildProcess) {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      for (const wake of this.waiters.splice(0)) wake();
    });
    readline.createInterface({ input: child.stderr! }).on('line', (line) => this.stderr.push(line));
    this.exited = new Promise((resolve) => child.once('exit', (code) => {
      resolve(code);
      for (const wake of this.waiters.splice(0)) wake();
    }));
  }

  /** The first stdout line that matches, waiting for it until the deadline. */
  async line(matches: (line: string) => boolean): Promise<string> {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const found = this.lines.find(matches);
      if (found !== undefined) return found;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no such line (exit ${this.child.exitCode}); stdout:\n${this.lines.join('\n')}\nstderr:\n${this.stderr.join('\n')}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGINT');
    await this.exited;
  }
}

describe('cdk-cognito-websocket-api local: codes, --users and --auto-confirm', () => {
  const shipped = mkdtempSync(path.join(tmpdir(), 'local-cli-identity-shipped-'));
  const cli = path.join(shipped, 'local', 'cli.js');
  const assembly = mkdtempSync(path.join(tmpdir(), 'local-cli-identity-app-'));
  const usersFile = path.join(assembly, 'users.json');

  beforeAll(() => {
    if (!existsSync(path.join(builtRuntime, 'cli.js'))) throw new Error(`${builtRuntime} is missing: run \`npx projen bundle\` first`);
    cpSync(builtRuntime, path.dirname(cli), { recursive: true });
    synthesizeRequiredGroupsApp(assembly);
    writeFileSync(usersFile, JSON.stringify([{ username: 'member', password: PASSWORD, email: 'member@example.com', groups: ['members'] }]));
  });

  afterAll(() => {
    rmSync(assembly, { recursive: true, force: true });
    rmSync(shipped, { recursive: true, force: true });
  });

  const start = (...args: string[]) => new RunningCli(spawn(process.execPath, [cli, 'local', '--app', assembly, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }));

  test('--json: the endpoints line, then one JSON event per code; the code confirms the user; --users are seeded in their groups', async () => {
    const run = start('--json', '--users', usersFile);
    const cognito = (endpoints: Record<string, string>) => new CognitoIdentityProviderClient({
      region: endpoints.region, endpoint: endpoints.cognitoEndpoint, credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
    });
    let sdk: CognitoIdentityProviderClient | undefined;
    try {
      // GIVEN the endpoints line, whose demo user is in the group the API requires
      const endpoints = JSON.parse(await run.line(() => true));
      expect(endpoints.demoUser).toMatchObject({ username: 'demo', groups: ['members'] });
      sdk = cognito(endpoints);

      // WHEN a user signs up
      await sdk.send(new SignUpCommand({
        ClientId: endpoints.userPoolClientId, Username: 'walker', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'walker@example.com' }],
      }));

      // THEN the code comes as the next line, a JSON event, and confirms the user
      const event = JSON.parse(await run.line((line) => line.includes('"event":"code"')));
      expect(run.lines.indexOf(JSON.stringify(event))).toBeGreaterThan(0);
      expect(event).toMatchObject({ event: 'code', purpose: 'SIGN_UP', username: 'walker', destination: 'walker@example.com', code: expect.stringMatching(/^\d{6}$/) });
      await sdk.send(new ConfirmSignUpCommand({ ClientId: endpoints.userPoolClientId, Username: 'walker', ConfirmationCode: event.code }));

      // AND the seeded member signs in and connects to the API that requires the group
      const signedIn = await sdk.send(new InitiateAuthCommand({
        ClientId: endpoints.userPoolClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'member', PASSWORD },
      }));
      const { socket } = await connect(`${endpoints.websocketUrl}?idToken=${signedIn.AuthenticationResult!.IdToken}`);
      expect(socket).toBeDefined();
      socket!.close();
    } finally {
      sdk?.destroy();
      await run.stop();
    }
  });

  test('--auto-confirm: SignUp confirms at once, as before; the banner says so and names the demo user\'s groups', async () => {
    const run = start('--auto-confirm');
    let sdk: CognitoIdentityProviderClient | undefined;
    try {
      const banner = await run.line((line) => line.includes('Demo user'));
      expect(banner).toMatch(/demo \/ \S+ {3}groups members$/);
      await run.line((line) => line.includes('Users are confirmed at sign-up (--auto-confirm).'));
      const cognitoEndpoint = (await run.line((line) => line.includes('Cognito endpoint'))).split(/\s+/)[3];
      const clientId = (await run.line((line) => line.includes('User pool'))).split(/\s+/)[5];
      sdk = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: cognitoEndpoint, credentials: { accessKeyId: 'any', secretAccessKey: 'any' } });
      const signUp = await sdk.send(new SignUpCommand({ ClientId: clientId, Username: 'quick', Password: PASSWORD }));
      expect(signUp.UserConfirmed).toBe(true);
    } finally {
      sdk?.destroy();
      await run.stop();
    }
  });

  test('--users naming a group the app does not have stops with a message that names the user and the group', async () => {
    const badFile = path.join(assembly, 'bad-users.json');
    writeFileSync(badFile, JSON.stringify([{ username: 'typo', password: PASSWORD, groups: ['memebrs'] }]));
    const run = start('--users', badFile);
    expect(await run.exited).toBe(1);
    expect(run.stderr.join('\n')).toMatch(/users: "typo" is in group "memebrs", which user pool \S+ does not have \(its groups: admins, members\)/);
  });
});
