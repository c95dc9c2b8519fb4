import { Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CognitoAuthorizedWebSocketApi, TokenSource, TokenUse } from '../src';
import { nagFindings } from './cdk-nag-findings';

function inlineFunction(stack: Stack, id: string): lambda.Function {
  return new lambda.Function(stack, id, {
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_22_X,
  });
}

/** The findings on the construct's own resources, leaving out what the user's functions in the test stack draw. */
const onTheConstruct = (findings: string[]) => findings.filter((finding) => finding.includes('TestStack/Ws/'));

const STACKS: Array<[string, StackProps]> = [
  ['an environment-agnostic stack', {}],
  ['a stack with a literal account and region', { env: { account: '123456789012', region: 'eu-west-1' } }],
];

describe.each(STACKS)('cdk-nag AwsSolutionsChecks and ServerlessChecks, in %s', (_name, stackProps) => {
  test('no unsuppressed finding with the defaults', () => {
    expect(nagFindings((stack) => new CognitoAuthorizedWebSocketApi(stack, 'Ws'), stackProps)).toEqual([]);
  });

  test('none on the construct\'s resources with an added route', () => {
    expect(onTheConstruct(nagFindings((stack) => {
      const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws', { requiredGroups: ['admins'] });
      api.addRoute('sendMessage', new lambda.Function(stack, 'Fn', {
        code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
        handler: 'index.handler',
        runtime: lambda.Runtime.NODEJS_22_X,
        role: new iam.Role(stack, 'FnRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }),
      }));
    }, stackProps))).toEqual([]);
  });

  test('none on the construct\'s resources with every non-default prop: own pool and clients, access tokens, groups, ' +
    'a default route handler, added routes, no access logging, tracing off, a pinned runtime', () => {
    expect(onTheConstruct(nagFindings((stack) => {
      const userPool = new cognito.UserPool(stack, 'Pool');
      const userPoolClients = [userPool.addClient('Web'), userPool.addClient('Mobile')];
      const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws', {
        userPool,
        userPoolClients,
        tokenUse: TokenUse.ACCESS,
        tokenSource: TokenSource.queryString('accessToken'),
        requiredGroups: ['admins', 'operators'],
        defaultRouteHandler: inlineFunction(stack, 'Default'),
        accessLogging: false,
        stageName: 'live',
        throttle: { rateLimit: 100, burstLimit: 50 },
        tracing: lambda.Tracing.DISABLED,
        runtime: lambda.Runtime.NODEJS_22_X,
      });
      api.addRoute('sendMessage', inlineFunction(stack, 'SendMessage'));
      api.addRoute('whoami', inlineFunction(stack, 'WhoAmI'), { returnResponse: true });
    }, stackProps))).toEqual([]);
  });

  test('none at all with two APIs in one stack', () => {
    expect(nagFindings((stack) => {
      new CognitoAuthorizedWebSocketApi(stack, 'Chat');
      new CognitoAuthorizedWebSocketApi(stack, 'Notifications', { stageName: 'live' });
    }, stackProps)).toEqual([]);
  });

  test('a wildcard the construct did not grant is still reported: the echo\'s suppression covers its own resource only', () => {
    const findings = nagFindings((stack) => {
      const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws');
      // Every method of @connections on the echo's role: wider than the POST the construct answered for.
      api.grantManageConnections(api.defaultRouteFunction);
    }, stackProps);
    expect(findings).toEqual([expect.stringMatching(/^AwsSolutions-IAM5(\[Resource::.*\/prod\/\*\/@connections\/\*\])? at TestStack\/Ws\/EchoRole\/DefaultPolicy\/Resource$/)]);
  });
});

test('every suppression names its rule and gives a reason', () => {
  const stack = new Stack();
  new CognitoAuthorizedWebSocketApi(stack, 'Ws');
  const suppressions = Object.values(Template.fromStack(stack).toJSON().Resources)
    .flatMap((resource: any) => resource.Metadata?.cdk_nag?.rules_to_suppress ?? []);
  expect(suppressions.length).toBeGreaterThan(0);
  for (const suppression of suppressions) {
    expect(suppression.id).toMatch(/^(AwsSolutions|Serverless)-[A-Za-z]+[0-9]*$/);
    expect(suppression.reason.length).toBeGreaterThan(40);
  }
});
