/**
 * The AWS sample "websocket-api-cognito-auth-sample", built with the construct: its stack `BackendStack`
 * and its four outputs, under the sample's names, so the sample's web client works unchanged.
 */
import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CognitoAuthorizedWebSocketApi } from 'cdk-cognito-websocket-api';

export class BackendStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const api = new CognitoAuthorizedWebSocketApi(this, 'WebSocket');

    new CfnOutput(this, 'region', { value: this.region });
    new CfnOutput(this, 'userPoolId', { value: api.userPool.userPoolId });
    new CfnOutput(this, 'userPoolWebClientId', { value: api.userPoolClient!.userPoolClientId });
    new CfnOutput(this, 'webSocketEndpoint', { value: api.url });
  }
}
