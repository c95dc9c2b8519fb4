import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BackendStack } from '../../examples/basic/backend-stack';

/** Asset hashes change with every handler build; the snapshot is about the stack's shape. */
function withoutAssetHashes(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '<asset hash>'));
}

describe('examples/basic: the AWS sample\'s BackendStack built with the construct', () => {
  const template = Template.fromStack(new BackendStack(new App(), 'BackendStack'));

  test('emits the sample\'s four outputs under the sample\'s names', () => {
    const outputs = template.toJSON().Outputs;
    expect(Object.keys(outputs).sort()).toEqual(['region', 'userPoolId', 'userPoolWebClientId', 'webSocketEndpoint']);
    template.hasOutput('region', { Value: { Ref: 'AWS::Region' } });
    template.hasOutput('userPoolId', { Value: { Ref: Match.stringLikeRegexp('^WebSocketUserPool') } });
    template.hasOutput('userPoolWebClientId', { Value: { Ref: Match.stringLikeRegexp('^WebSocketUserPoolUserPoolClient') } });
    template.hasOutput('webSocketEndpoint', {
      Value: {
        'Fn::Join': ['', ['wss://', { Ref: Match.stringLikeRegexp('^WebSocketApi') }, '.execute-api.', { Ref: 'AWS::Region' }, '.',
          { Ref: 'AWS::URLSuffix' }, '/prod']],
      },
    });
  });

  test('the client id output is the pool\'s only client, and the pool output the pool the authorizer trusts', () => {
    const clientId = template.toJSON().Outputs.userPoolWebClientId.Value.Ref;
    const poolId = template.toJSON().Outputs.userPoolId.Value.Ref;
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ USER_POOL_ID: { Ref: poolId }, CLIENT_IDS: { Ref: clientId } }) },
    });
  });

  test('matches the snapshot (asset hashes normalized; update deliberately with `npx projen test:update`)', () => {
    expect(withoutAssetHashes(template.toJSON())).toMatchSnapshot();
  });
});
