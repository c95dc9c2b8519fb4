/**
 * Figure 5's app with the construct, as a user writes it after `npm install cdk-cognito-websocket-api`: the AWS
 * sample's backend (a user pool and client, the connections table, the WebSocket API and its four functions).
 */
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { CognitoAuthorizedWebSocketApi } from 'cdk-cognito-websocket-api';

const app = new App();
const stack = new Stack(app, 'BackendStack');
const api = new CognitoAuthorizedWebSocketApi(stack, 'WebSocket');
new CfnOutput(stack, 'webSocketEndpoint', { value: api.url });
app.synth();
