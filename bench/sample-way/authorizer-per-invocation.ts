/**
 * The AWS sample's authorizer pattern, for comparison only: the verifier is created inside the handler, so each
 * `$connect` starts with an empty JWKS cache and downloads the JWKS again. Written as the sample writes it, minus its
 * logging of the token's claims.
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';

interface RequestAuthorizerEvent {
  readonly methodArn: string;
  readonly queryStringParameters?: Record<string, string | undefined> | null;
}

export const handler = async (event: RequestAuthorizerEvent) => {
  try {
    const verifier = CognitoJwtVerifier.create({
      userPoolId: process.env.USER_POOL_ID!,
      tokenUse: 'id',
      clientId: process.env.APP_CLIENT_ID!,
    });
    const payload = await verifier.verify(event.queryStringParameters!.idToken!);
    return policy(payload.sub, 'Allow', event.methodArn, { userId: payload.sub });
  } catch {
    return policy('*', 'Deny', '*');
  }
};

function policy(principalId: string, effect: 'Allow' | 'Deny', resource: string, context?: Record<string, string>) {
  return {
    principalId,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: effect === 'Allow' ? 'execute-api:Invoke' : '*', Effect: effect, Resource: resource }] },
    context,
  };
}
