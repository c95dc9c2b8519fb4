/**
 * A chat on `CognitoAuthorizedWebSocketApi`: a `sendmessage` route that delivers a message to every device of the
 * recipient and of the sender, and a notifier behind a Lambda function URL that any backend (or the web page) calls
 * to reach a user. Both use `cdk-cognito-websocket-api/runtime`; users are found by name in the user pool.
 */
import * as path from 'path';
import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { CognitoAuthorizedWebSocketApi } from 'cdk-cognito-websocket-api';

export class ChatStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const chat = new CognitoAuthorizedWebSocketApi(this, 'Chat');

    // {"action": "sendmessage", "to": <username>, "text": ...} from a connected user.
    const sendMessage = this.handler('SendMessage', 'send-message.ts');
    chat.addRoute('sendmessage', sendMessage);
    chat.grantSendToUser(sendMessage);
    // A connection whose token has expired is closed when it sends.
    chat.grantDisconnect(sendMessage);

    // POST {"to": <username>, "text": ...} with a user's ID token, from outside the WebSocket API.
    const notify = this.handler('Notify', 'notify.ts');
    chat.addSender(notify);
    notify.addEnvironment('USER_POOL_CLIENT_ID', chat.userPoolClient!.userPoolClientId);
    const notifyUrl = notify.addFunctionUrl({
      // The function verifies the caller's Cognito ID token itself; a bearer token, not a cookie, so any page may call.
      authType: lambda.FunctionUrlAuthType.NONE,
      cors: { allowedOrigins: ['*'], allowedMethods: [lambda.HttpMethod.POST], allowedHeaders: ['authorization', 'content-type'] },
    });

    // Both find a user's id (the token's sub) by username in the pool.
    for (const fn of [sendMessage, notify]) {
      fn.addEnvironment('USER_POOL_ID', chat.userPool.userPoolId);
      chat.userPool.grant(fn, 'cognito-idp:AdminGetUser');
    }

    new CfnOutput(this, 'region', { value: this.region });
    new CfnOutput(this, 'userPoolId', { value: chat.userPool.userPoolId });
    new CfnOutput(this, 'userPoolClientId', { value: chat.userPoolClient!.userPoolClientId });
    new CfnOutput(this, 'webSocketEndpoint', { value: chat.url });
    new CfnOutput(this, 'notifyUrl', { value: notifyUrl.url });
  }

  /** A handler of handlers/, bundled by esbuild at synth; the AWS SDK is left to Lambda's runtime. */
  private handler(id: string, file: string): NodejsFunction {
    return new NodejsFunction(this, id, {
      entry: path.join(__dirname, 'handlers', file),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(10),
    });
  }
}
