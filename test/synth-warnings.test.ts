import { Annotations, App, CfnResource, Stack } from 'aws-cdk-lib';
import { SynthesisMessageLevel } from 'aws-cdk-lib/cx-api';
import { CognitoAuthorizedWebSocketApi } from '../src';

/**
 * Everything a `cdk synth` of `build` would print as a warning: annotations of warning level or above, and
 * what reaches stderr, `console.warn`/`console.error` or `process.emitWarning` (aws-cdk-lib's deprecation notices).
 */
function synthWarnings(build: (app: App) => void): string[] {
  const printed: string[] = [];
  const record = (...args: unknown[]) => { printed.push(args.map(String).join(' ')); };
  const spies = [
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => { record(chunk); return true; }),
    jest.spyOn(console, 'warn').mockImplementation(record),
    jest.spyOn(console, 'error').mockImplementation(record),
    jest.spyOn(process, 'emitWarning').mockImplementation(record as any),
  ];
  try {
    const app = new App();
    build(app);
    const annotations = app.synth().stacks.flatMap((stack) => stack.messages)
      .filter((message) => message.level !== SynthesisMessageLevel.INFO)
      .map((message) => `${message.id}: ${String(message.entry.data)}`);
    return [...annotations, ...printed];
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
}

describe('a user\'s synth prints no warning from the construct', () => {
  const previous = process.env.JSII_DEPRECATED;
  // aws-cdk-lib's default: a deprecated API is reported on use, as `cdk synth` shows it to a user.
  beforeAll(() => { process.env.JSII_DEPRECATED = 'warn'; });
  afterAll(() => { process.env.JSII_DEPRECATED = previous; });

  test('GIVEN the defaults (access logging, the account logging role) WHEN the app synthesizes THEN nothing is printed', () => {
    expect(synthWarnings((app) => new CognitoAuthorizedWebSocketApi(new Stack(app, 'Chat'), 'Ws'))).toEqual([]);
  });

  test('GIVEN two APIs in an environment-specific stack WHEN the app synthesizes THEN nothing is printed', () => {
    expect(synthWarnings((app) => {
      const stack = new Stack(app, 'Chat', { env: { account: '123456789012', region: 'eu-west-1' } });
      new CognitoAuthorizedWebSocketApi(stack, 'Chat');
      new CognitoAuthorizedWebSocketApi(stack, 'Notifications', { stageName: 'live', accessLogging: false });
    })).toEqual([]);
  });

  test('GIVEN a deprecated aws-cdk-lib API and an annotation in the same app THEN both are collected (the collector hears)', () => {
    const warnings = synthWarnings((app) => {
      const stack = new Stack(app, 'Chat');
      const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws');
      // Deprecated on the floor and on the newest aws-cdk-lib alike.
      (api.stage.node.defaultChild as CfnResource).addDependsOn(api.connectionsTable.node.defaultChild as CfnResource);
      Annotations.of(api.stage).addWarning('a warning of the user\'s own');
    });
    expect(warnings.join('\n')).toMatch(/addDependsOn is deprecated/);
    expect(warnings).toContain('/Chat/Ws/Stage: a warning of the user\'s own');
  });
});
