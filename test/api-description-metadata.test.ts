import { App, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { CognitoAuthorizedWebSocketApi, CognitoAuthorizedWebSocketApiProps, TokenSource, TokenUse } from '../src';

/**
 * The construct describes its API for tools that serve the synthesized app (the local runtime) in the
 * cloud assembly: a metadata entry on its own node, which the stack's entry in manifest.json carries with
 * every reference resolved. These tests read it where such a tool reads it, from the synthesized assembly.
 */

const METADATA_TYPE = 'cdk-cognito-websocket-api:api';

interface Synthesized {
  readonly template: any;
  /** The entries of `METADATA_TYPE` on the node of each construct, by construct id. */
  readonly descriptions: Record<string, unknown[]>;
}

function synthesize(build: (stack: Stack) => CognitoAuthorizedWebSocketApi[]): Synthesized {
  const app = new App();
  const stack = new Stack(app, 'TestStack');
  const apis = build(stack);
  const artifact = app.synth().getStackByName(stack.stackName);
  const descriptions: Record<string, unknown[]> = {};
  // findMetadataByType reads the entries wherever the aws-cdk-lib in use writes them: in manifest.json (the floor) or
  // in the stack's separate metadata file (newer versions).
  const entries = artifact.findMetadataByType(METADATA_TYPE);
  for (const api of apis) {
    descriptions[api.node.id] = entries.filter((entry) => entry.path === `/${api.node.path}`).map((entry) => entry.data);
  }
  return { template: artifact.template, descriptions };
}

function logicalIdsOfType(template: any, type: string): string[] {
  return Object.entries(template.Resources).filter(([, resource]: [string, any]) => resource.Type === type).map(([id]) => id);
}

function onlyLogicalIdOfType(template: any, type: string): string {
  const ids = logicalIdsOfType(template, type);
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The function that the template's `$connect` authorizer of API `apiLogicalId` invokes, read from its AuthorizerUri. */
function authorizerFunctionOf(template: any, apiLogicalId: string): string {
  const authorizers = logicalIdsOfType(template, 'AWS::ApiGatewayV2::Authorizer')
    .map((id) => template.Resources[id].Properties)
    .filter((properties) => properties.ApiId.Ref === apiLogicalId);
  expect(authorizers).toHaveLength(1);
  const uriParts: unknown[] = authorizers[0].AuthorizerUri['Fn::Join'][1];
  const getAtt = uriParts.find((part: any) => part?.['Fn::GetAtt']) as { 'Fn::GetAtt': [string, string] };
  return getAtt['Fn::GetAtt'][0];
}

describe('the API description the construct writes for tools that serve the synthesized app', () => {
  test('with default props, it names the template\'s API, its authorizer function, the new pool and its client', () => {
    // GIVEN a construct with no props
    // WHEN the app is synthesized
    const { template, descriptions } = synthesize((stack) => [new CognitoAuthorizedWebSocketApi(stack, 'Ws')]);

    // THEN its node carries one description, whose references are the template's resources
    const apiId = onlyLogicalIdOfType(template, 'AWS::ApiGatewayV2::Api');
    expect(descriptions.Ws).toEqual([{
      version: 1,
      webSocketApi: { Ref: apiId },
      authorizerFunction: { Ref: authorizerFunctionOf(template, apiId) },
      userPool: { Ref: onlyLogicalIdOfType(template, 'AWS::Cognito::UserPool') },
      userPoolClients: [{ Ref: onlyLogicalIdOfType(template, 'AWS::Cognito::UserPoolClient') }],
      tokenUse: 'id',
      tokenSource: { kind: 'querystring', name: 'idToken' },
      requiredGroups: [],
    }]);
    expect(descriptions.Ws[0]).toMatchObject({
      webSocketApi: { Ref: 'WsApiEB9502A8' },
      authorizerFunction: { Ref: 'WsAuthorizerFunction520EE47A' },
      userPool: { Ref: 'WsUserPool7918253B' },
      userPoolClients: [{ Ref: 'WsUserPoolUserPoolClientC8D0A315' }],
    });
  });

  test('with a given pool and two of its clients, it names those, in order, with the token use, source and groups given', () => {
    // GIVEN a pool of the app with two clients, access tokens in ?token=, and two required groups
    let poolId = '';
    let clientIds: string[] = [];
    const { template, descriptions } = synthesize((stack) => {
      const userPool = new cognito.UserPool(stack, 'AppPool');
      const clients = [userPool.addClient('Web'), userPool.addClient('Mobile')];
      poolId = stack.getLogicalId(userPool.node.defaultChild as cognito.CfnUserPool);
      clientIds = clients.map((client) => stack.getLogicalId(client.node.defaultChild as cognito.CfnUserPoolClient));
      const props: CognitoAuthorizedWebSocketApiProps = {
        userPool,
        userPoolClients: clients,
        tokenUse: TokenUse.ACCESS,
        tokenSource: TokenSource.queryString('token'),
        requiredGroups: ['admins', 'operators'],
      };
      // WHEN the app is synthesized
      return [new CognitoAuthorizedWebSocketApi(stack, 'Ws', props)];
    });

    // THEN the description names the given pool and clients, and the token settings
    const apiId = onlyLogicalIdOfType(template, 'AWS::ApiGatewayV2::Api');
    expect(clientIds).toEqual(logicalIdsOfType(template, 'AWS::Cognito::UserPoolClient'));
    expect(descriptions.Ws).toEqual([{
      version: 1,
      webSocketApi: { Ref: apiId },
      authorizerFunction: { Ref: authorizerFunctionOf(template, apiId) },
      userPool: { Ref: poolId },
      userPoolClients: [{ Ref: clientIds[0] }, { Ref: clientIds[1] }],
      tokenUse: 'access',
      tokenSource: { kind: 'querystring', name: 'token' },
      requiredGroups: ['admins', 'operators'],
    }]);
  });

  test('two APIs in one stack each describe their own API and authorizer function', () => {
    // GIVEN two constructs in one stack
    // WHEN the app is synthesized
    const { template, descriptions } = synthesize((stack) => [
      new CognitoAuthorizedWebSocketApi(stack, 'Chat'),
      new CognitoAuthorizedWebSocketApi(stack, 'Alerts', { requiredGroups: ['operators'] }),
    ]);

    // THEN each node's description names a different API, and the authorizer function of that API
    const apiIds = [descriptions.Chat, descriptions.Alerts].map((entries) => {
      expect(entries).toHaveLength(1);
      const description = entries[0] as any;
      expect(description.authorizerFunction).toEqual({ Ref: authorizerFunctionOf(template, description.webSocketApi.Ref) });
      return description.webSocketApi.Ref;
    });
    expect(apiIds.sort()).toEqual(logicalIdsOfType(template, 'AWS::ApiGatewayV2::Api').sort());
    expect(descriptions.Alerts[0]).toMatchObject({ requiredGroups: ['operators'] });
    expect(descriptions.Chat[0]).toMatchObject({ requiredGroups: [] });
  });

  test('it is in the manifest only: the template holds no trace of it', () => {
    // GIVEN a construct WHEN the app is synthesized
    const { template } = synthesize((stack) => [new CognitoAuthorizedWebSocketApi(stack, 'Ws')]);

    // THEN neither the metadata type nor the description's fields appear in the template
    const text = JSON.stringify(template);
    expect(text).not.toContain(METADATA_TYPE);
    expect(text).not.toContain('"authorizerFunction"');
    expect(text).not.toContain('"userPoolClients"');
  });
});
