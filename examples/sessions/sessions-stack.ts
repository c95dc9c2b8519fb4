/**
 * A WebSocket API for signed-in members only, where a session is a session: the access token travels in the
 * `Sec-WebSocket-Protocol` header (never in a URL) beside the application protocol, which `$connect` selects, must carry a scope and belong to a member, a user holds at most
 * three connections, and a connection ends when its token does.
 */
import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { CognitoAuthorizedWebSocketApi, TokenSource, TokenUse } from 'cdk-cognito-websocket-api';

/** The group a user must be in to connect. */
export const MEMBERS_GROUP = 'members';
/**
 * The scope Cognito puts in every access token of a user who signed in (SRP, password or refresh): it tells a user's
 * token from a machine's (client credentials). Scopes of a resource server of your own come with tokens from the
 * OAuth 2.0 token endpoint (the managed login pages), or are added by a pre token generation trigger.
 */
export const SIGNED_IN_USER_SCOPE = 'aws.cognito.signin.user.admin';
/** The most connections (devices, tabs) one user may hold at once. */
export const MAX_CONNECTIONS_PER_USER = 3;

export class SessionsStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const api = new CognitoAuthorizedWebSocketApi(this, 'Sessions', {
      tokenSource: TokenSource.subprotocol(),
      tokenUse: TokenUse.ACCESS,
      requiredScopes: [SIGNED_IN_USER_SCOPE],
      requiredGroups: [MEMBERS_GROUP],
      maxConnectionsPerUser: MAX_CONNECTIONS_PER_USER,
      // closeExpiredConnections is on by default: a sweeper closes, every minute, connections whose token expired.
    });
    // The construct checks the group; the pool must have it. Add users to it with AdminAddUserToGroup.
    new cognito.CfnUserPoolGroup(this, 'Members', {
      userPoolId: api.userPool.userPoolId,
      groupName: MEMBERS_GROUP,
      description: 'Users who may connect to the sessions WebSocket API',
    });

    new CfnOutput(this, 'region', { value: this.region });
    new CfnOutput(this, 'userPoolId', { value: api.userPool.userPoolId });
    new CfnOutput(this, 'userPoolWebClientId', { value: api.userPoolClient!.userPoolClientId });
    new CfnOutput(this, 'webSocketEndpoint', { value: api.url });
  }
}
