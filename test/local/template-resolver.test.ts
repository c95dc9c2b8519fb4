import type { StackArtifact } from '../../local/cloud-assembly';
import { LocalResourceValue, TemplateResolver, UnresolvableReferenceError } from '../../local/template-resolver';

function stack(stackName: string, template: StackArtifact['template']): StackArtifact {
  return { stackName, assemblyDir: '.', template, assetPathsByObjectKey: {} };
}

describe('TemplateResolver', () => {
  const producer = stack('Producer', {
    Resources: { Table: { Type: 'AWS::DynamoDB::Table' } },
    Outputs: { TableName: { Value: { Ref: 'Table' }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}-table' } } } },
  });
  const consumer = stack('Consumer', {
    Parameters: { Stage: { Type: 'String', Default: 'prod' }, NoDefault: { Type: 'String' } },
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] } },
    Resources: { Api: { Type: 'AWS::ApiGatewayV2::Api' }, Queue: { Type: 'AWS::SQS::Queue' } },
  });
  const resources = new Map<string, Map<string, LocalResourceValue>>([
    ['Producer', new Map([['Table', { ref: 'local-table', attributes: { Arn: 'arn:aws:dynamodb:eu-west-1:000000000000:table/local-table' } }]])],
    ['Consumer', new Map([['Api', { ref: 'abc123', attributes: { ApiEndpoint: 'wss://abc123.execute-api.eu-west-1.amazonaws.com' } }]])],
  ]);
  const resolver = new TemplateResolver([producer, consumer], { region: 'eu-west-1', accountId: '000000000000', resources });

  test('resolves the callback URL the way CDK writes it (Fn::Join of Ref and pseudo parameters)', () => {
    expect(resolver.resolve(consumer, {
      'Fn::Join': ['', ['https://', { Ref: 'Api' }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: 'Stage' }]],
    })).toBe('https://abc123.execute-api.eu-west-1.amazonaws.com/prod');
  });

  test('resolves Fn::Sub with references, attributes, its own variables and escaped ${!literals}', () => {
    expect(resolver.resolve(producer, {
      'Fn::Sub': ['${Table.Arn}/index/${Index} ${!Literal} ${AWS::AccountId}', { Index: 'userIdIndex' }],
    })).toBe('arn:aws:dynamodb:eu-west-1:000000000000:table/local-table/index/userIdIndex ${Literal} 000000000000');
  });

  test('resolves Fn::Select over Fn::Split, Fn::If on a condition, and drops AWS::NoValue', () => {
    expect(resolver.resolve(consumer, { 'Fn::Select': [1, { 'Fn::Split': ['//', { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] }] }] }))
      .toBe('abc123.execute-api.eu-west-1.amazonaws.com');
    expect(resolver.resolve(consumer, { A: { 'Fn::If': ['IsProd', 'yes', 'no'] }, B: { Ref: 'AWS::NoValue' } })).toEqual({ A: 'yes' });
  });

  test('resolves Fn::ImportValue against another stack\'s export', () => {
    expect(resolver.resolve(consumer, { 'Fn::ImportValue': 'Producer-table' })).toBe('local-table');
  });

  test('names what has no local counterpart instead of inventing a value', () => {
    expect(() => resolver.resolve(consumer, { Ref: 'Queue' })).toThrow(UnresolvableReferenceError);
    expect(() => resolver.resolve(consumer, { Ref: 'Queue' })).toThrow(/Consumer\/Queue \(AWS::SQS::Queue\)/);
    expect(() => resolver.resolve(consumer, { Ref: 'NoDefault' })).toThrow(/parameter NoDefault of Consumer has no default value/);
    expect(() => resolver.resolve(consumer, { 'Fn::ImportValue': 'Nobody-exports-this' })).toThrow(UnresolvableReferenceError);
  });
});
