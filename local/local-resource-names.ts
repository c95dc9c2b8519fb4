/**
 * What each resource of a synthesized app is called on this machine: the value its `Ref` and `Fn::GetAtt` resolve
 * to. User pools, app clients and WebSocket APIs get ids shaped like the ones AWS issues, the same from one start
 * to the next (a web client's saved settings keep working); every other resource a name and an ARN, its own name
 * where the template gives one (tables, functions, roles...).
 */
import type { StackArtifact, TemplateResource } from './cloud-assembly';
import { ALPHANUMERIC, LOWER_ALPHANUMERIC, stableId } from './ids';
import type { LocalResourceValue } from './template-resolver';

/** The account of every local ARN. */
export const LOCAL_ACCOUNT_ID = '000000000000';

export class LocalResourceNames {
  /** stack name -> logical id -> local value: what the template resolver resolves references to. */
  readonly values = new Map<string, Map<string, LocalResourceValue>>();

  constructor(stacks: StackArtifact[], region: string) {
    for (const stack of stacks) {
      const values = new Map<string, LocalResourceValue>();
      for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
        values.set(logicalId, localValue(stack, logicalId, resource, region));
      }
      this.values.set(stack.stackName, values);
    }
  }

  /** The resource's `Ref` here: a user pool id, a client id, an API id, a table or function name. */
  nameOf(stack: StackArtifact, logicalId: string): string {
    const value = this.values.get(stack.stackName)?.get(logicalId);
    if (!value) throw new Error(`${logicalId} is not a resource of ${stack.stackName}`);
    return value.ref;
  }
}

/** `<apiId>.execute-api.<region>.amazonaws.com`, the host of a WebSocket API's endpoint in AWS. */
export function executeApiHost(apiId: string, region: string): string {
  return `${apiId}.execute-api.${region}.amazonaws.com`;
}

/** `<url-id>.lambda-url.<region>.on.aws`, the host of a Lambda function URL in AWS. */
export function functionUrlHost(urlId: string, region: string): string {
  return `${urlId}.lambda-url.${region}.on.aws`;
}

/** The id of a function URL: 32 lowercase letters and digits, as AWS issues, the same from one start to the next. */
export function functionUrlId(stack: StackArtifact, logicalId: string): string {
  return stableId(`${stack.stackName}/${logicalId}`, 32, LOWER_ALPHANUMERIC);
}

function localValue(stack: StackArtifact, logicalId: string, resource: TemplateResource, region: string): LocalResourceValue {
  const seed = `${stack.stackName}/${logicalId}`;
  switch (resource.Type) {
    case 'AWS::Cognito::UserPool':
      return userPoolValue(`${region}_${stableId(seed, 9, ALPHANUMERIC)}`, region);
    case 'AWS::Cognito::UserPoolClient': {
      const clientId = stableId(seed, 26, LOWER_ALPHANUMERIC);
      return { ref: clientId, attributes: { ClientId: clientId, Name: logicalId } };
    }
    case 'AWS::ApiGatewayV2::Api':
      if (resource.Properties?.ProtocolType === 'WEBSOCKET') {
        const apiId = stableId(seed, 10, LOWER_ALPHANUMERIC);
        return { ref: apiId, attributes: { ApiId: apiId, ApiEndpoint: `wss://${executeApiHost(apiId, region)}` } };
      }
      break;
    case 'AWS::Lambda::Url': {
      const urlId = functionUrlId(stack, logicalId);
      return { ref: urlId, attributes: { FunctionUrl: `https://${functionUrlHost(urlId, region)}/` } };
    }
  }
  return placeholderValue(stack, logicalId, resource, region);
}

function userPoolValue(userPoolId: string, region: string): LocalResourceValue {
  const providerName = `cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  return {
    ref: userPoolId,
    attributes: {
      Arn: `arn:aws:cognito-idp:${region}:${LOCAL_ACCOUNT_ID}:userpool/${userPoolId}`,
      ProviderName: providerName,
      ProviderURL: `https://${providerName}`,
      UserPoolId: userPoolId,
    },
  };
}

const ARN_SERVICES: Record<string, { service: string; prefix: string }> = {
  'AWS::DynamoDB::Table': { service: 'dynamodb', prefix: 'table/' },
  'AWS::Lambda::Function': { service: 'lambda', prefix: 'function:' },
  'AWS::IAM::Role': { service: 'iam', prefix: 'role/' },
};
const NAME_PROPERTIES = ['StageName', 'TableName', 'FunctionName', 'RoleName', 'QueueName', 'TopicName', 'BucketName'];

/** The local name and ARN of a resource the runtime does not serve itself (or serves under this name: tables, functions). */
function placeholderValue(stack: StackArtifact, logicalId: string, resource: TemplateResource, region: string): LocalResourceValue {
  const properties = resource.Properties ?? {};
  const explicitName = NAME_PROPERTIES.map((property) => properties[property]).find((name) => typeof name === 'string');
  const name = typeof explicitName === 'string'
    ? explicitName
    : `${stack.stackName}-${logicalId}-${stableId(`${stack.stackName}/${logicalId}`, 12, ALPHANUMERIC.slice(0, 26))}`;
  const known = ARN_SERVICES[resource.Type];
  const service = known?.service ?? resource.Type.split('::')[1]?.toLowerCase() ?? 'local';
  // IAM is global: its ARNs name no region.
  const arn = `arn:aws:${service}:${service === 'iam' ? '' : region}:${LOCAL_ACCOUNT_ID}:${known?.prefix ?? ''}${name}`;
  return {
    ref: name,
    attributes: {
      Arn: arn,
      StreamArn: `${arn}/stream/1970-01-01T00:00:00.000`,
      RoleId: name,
      Name: name,
    },
  };
}
