/**
 * cdk-nag suppressions, the one place the construct answers a finding that does not apply, for both majors of
 * cdk-nag and without depending on it: cdk-nag 2 reads `cdk_nag` resource metadata; cdk-nag 3 runs as an
 * aws-cdk-lib policy-validation plugin and reads `Validations.of(construct).acknowledge(...)`, one per finding.
 */
import * as cdk from 'aws-cdk-lib';
import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { IConstruct } from 'constructs';

/**
 * Suppresses rule `id` on the resource of `construct` (or on `construct` itself), keeping earlier suppressions.
 *
 * @param appliesTo the findings of a rule that reports several per resource (`AwsSolutions-IAM5`, `-IAM4`), each
 * exactly as cdk-nag writes it (`Resource::arn:<AWS::Partition>:...`); a value may hold tokens (an ARN), which are
 * written as cdk-nag flattens them. Without it the rule is suppressed as a whole, which cdk-nag 3 honours only for
 * rules that report one finding per resource.
 */
export function suppressNag(construct: IConstruct, id: string, reason: string, appliesTo?: string[]): void {
  const resource = (construct.node.defaultChild ?? construct) as CfnResource;
  const findings = appliesTo?.map((value) => flattenedFinding(resource, value));
  const existing = resource.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
  resource.addMetadata('cdk_nag', {
    rules_to_suppress: [...existing, { id, reason, ...(findings ? { applies_to: findings } : {}) }],
  });
  const validations = validationsOf(resource);
  if (validations) {
    const ids = findings ? findings.map((finding) => `${id}[${finding}]`) : [id];
    validations.acknowledge(...ids.map((findingId) => ({ id: findingId, reason })));
  }
}

/** API Gateway runs a WebSocket API's authorizer on `$connect` only; every other route inherits that connection's identity. */
export function suppressRouteAuthorizationNag(route: apigwv2.WebSocketRoute): void {
  suppressNag(route.node.findChild('Resource'), 'AwsSolutions-APIG4',
    'A WebSocket API authorizes only on $connect; this route runs on a connection that the Cognito authorizer already admitted.');
}

/** The part of aws-cdk-lib's `Validations` (2.257 and newer) that records an acknowledgement. */
interface Acknowledging {
  acknowledge(...rules: Array<{ readonly id: string; readonly reason: string }>): void;
}

/** `Validations.of(scope)`, or `undefined` on an aws-cdk-lib older than `Validations` (the peer floor). */
function validationsOf(scope: IConstruct): Acknowledging | undefined {
  // `any`: the floor's aws-cdk-lib types, which the library compiles against, have no Validations.
  const validations = (cdk as any).Validations;
  return typeof validations?.of === 'function' ? validations.of(scope) : undefined;
}

/** `value` with its tokens resolved and written as cdk-nag writes a reference: `<LogicalId>`, `<LogicalId.Attr>`. */
function flattenedFinding(scope: IConstruct, value: string): string {
  return Token.isUnresolved(value) ? flattenReference(Stack.of(scope).resolve(value)) : value;
}

function flattenReference(node: unknown): string {
  if (typeof node === 'string') {
    return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  const intrinsic = node as Record<string, unknown>;
  if (intrinsic['Fn::Join']) {
    const [delimiter, items] = intrinsic['Fn::Join'] as [string, unknown[]];
    return items.map(flattenReference).join(delimiter);
  }
  if (intrinsic['Fn::GetAtt']) {
    const [logicalId, attribute] = intrinsic['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenReference(logicalId)}.${flattenReference(attribute)}>`;
  }
  if (intrinsic.Ref) {
    return `<${flattenReference(intrinsic.Ref)}>`;
  }
  return JSON.stringify(node);
}
