/**
 * cdk-nag suppressions, written as the `cdk_nag` resource metadata that cdk-nag reads, so the construct
 * answers each finding that does not apply without depending on cdk-nag.
 */
import { CfnResource } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { IConstruct } from 'constructs';

/** Adds a suppression of rule `id` to the resource of `construct` (or to `construct` itself), keeping earlier ones. */
export function suppressNag(construct: IConstruct, id: string, reason: string, appliesTo?: Array<string | { regex: string }>): void {
  const resource = (construct.node.defaultChild ?? construct) as CfnResource;
  const existing = resource.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
  resource.addMetadata('cdk_nag', {
    rules_to_suppress: [...existing, { id, reason, ...(appliesTo ? { applies_to: appliesTo } : {}) }],
  });
}

/** API Gateway runs a WebSocket API's authorizer on `$connect` only; every other route inherits that connection's identity. */
export function suppressRouteAuthorizationNag(route: apigwv2.WebSocketRoute): void {
  suppressNag(route.node.findChild('Resource'), 'AwsSolutions-APIG4',
    'A WebSocket API authorizes only on $connect; this route runs on a connection that the Cognito authorizer already admitted.');
}
