import * as errors from 'aws-jwt-verify/error';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { LogWriter } from '../structured-log';
import { AuthorizerConfig } from './authorizer-config';
import { ConnectTokenVerifier, RequiredClaimMissingError, VerifiedClaims } from './cognito-token-verifier';
import { AuthorizerContextKeys, TokenUses } from '../../src/wire-contract';
import { extractToken, TokenExtractionRefusal } from '../token-source';

/** Why a $connect was refused: a code of ours, safe to log, never sent to the client. */
export type RefusalReason =
  | TokenExtractionRefusal
  | 'token-malformed'
  | 'signature-invalid'
  | 'algorithm-invalid'
  | 'kid-missing'
  | 'kid-unknown'
  | 'token-expired'
  | 'token-not-yet-valid'
  | 'issuer-invalid'
  | 'client-invalid'
  | 'token-use-invalid'
  | 'group-missing'
  | 'scope-missing'
  | 'claim-missing'
  | 'token-invalid'
  | 'jwks-unavailable'
  | 'internal-error';

export interface ConnectAuthorizerDeps {
  readonly config: AuthorizerConfig;
  readonly verifier: ConnectTokenVerifier;
  readonly log: LogWriter;
}

/** The subset of the event the authorizer reads; API Gateway's WebSocket REQUEST authorizer event has it. */
export type ConnectAuthorizerEvent = Pick<APIGatewayRequestAuthorizerEvent,
'methodArn' | 'headers' | 'multiValueHeaders' | 'queryStringParameters' | 'multiValueQueryStringParameters'> & {
  readonly requestContext?: { readonly connectionId?: string; readonly routeKey?: string };
};

/**
 * Decides one $connect: Allow with the user's identity as context, or Deny (API Gateway answers 403).
 * Never throws: an exception would make API Gateway answer 500 and, worse, could carry verifier text.
 */
export async function authorizeConnect(
  event: ConnectAuthorizerEvent, deps: ConnectAuthorizerDeps,
): Promise<APIGatewayAuthorizerResult> {
  const logBase = {
    handler: 'authorizer',
    route: event.requestContext?.routeKey ?? '$connect',
    connectionId: event.requestContext?.connectionId,
  };
  const extraction = extractToken(event, deps.config.tokenSource);
  if (extraction.refusal) {
    deps.log({ ...logBase, outcome: 'deny', reason: extraction.refusal });
    return denyPolicy(event.methodArn);
  }
  let claims: VerifiedClaims;
  try {
    claims = await deps.verifier.verify(extraction.token);
  } catch (err) {
    const reason = refusalReasonOf(err);
    deps.log({
      ...logBase,
      outcome: 'deny',
      reason,
      // Only for the unexpected: the built-in error name (TypeError, ...), never the message.
      errorName: reason === 'internal-error' && err instanceof Error ? err.name : undefined,
    });
    return denyPolicy(event.methodArn);
  }
  const userId = claims.sub!;
  deps.log({ ...logBase, userId, outcome: 'allow' });
  return {
    principalId: userId,
    policyDocument: policy('Allow', event.methodArn),
    context: {
      [AuthorizerContextKeys.USER_ID]: userId,
      [AuthorizerContextKeys.USERNAME]: (claims.token_use === TokenUses.ACCESS ? claims.username : claims['cognito:username']) ?? '',
      [AuthorizerContextKeys.GROUPS]: (claims['cognito:groups'] ?? []).join(','),
      [AuthorizerContextKeys.TOKEN_USE]: claims.token_use ?? deps.config.tokenUse,
      [AuthorizerContextKeys.EXP]: claims.exp!,
      // API Gateway context values cannot be lists: the scopes stay space-separated, as in the token.
      ...(claims.token_use === TokenUses.ACCESS ? { [AuthorizerContextKeys.SCOPE]: claims.scope ?? '' } : {}),
    },
  };
}

function denyPolicy(methodArn: string): APIGatewayAuthorizerResult {
  return { principalId: 'unauthorized', policyDocument: policy('Deny', methodArn) };
}

function policy(effect: 'Allow' | 'Deny', methodArn: string): APIGatewayAuthorizerResult['policyDocument'] {
  return {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: methodArn }],
  };
}

/** Maps aws-jwt-verify's error classes (most specific first) to our codes. */
const REASON_BY_ERROR_CLASS: ReadonlyArray<[abstract new (...args: any[]) => Error, RefusalReason]> = [
  [RequiredClaimMissingError, 'claim-missing'],
  [errors.CognitoJwtInvalidGroupError, 'group-missing'],
  [errors.JwtInvalidScopeError, 'scope-missing'],
  [errors.CognitoJwtInvalidTokenUseError, 'token-use-invalid'],
  [errors.CognitoJwtInvalidClientIdError, 'client-invalid'],
  [errors.JwtInvalidAudienceError, 'client-invalid'],
  [errors.JwtInvalidIssuerError, 'issuer-invalid'],
  // With a correct configuration, the one ParameterValidationError a token can cause: an iss not configured (or absent).
  [errors.ParameterValidationError, 'issuer-invalid'],
  [errors.JwtExpiredError, 'token-expired'],
  [errors.JwtNotBeforeError, 'token-not-yet-valid'],
  [errors.JwtInvalidSignatureAlgorithmError, 'algorithm-invalid'],
  [errors.JwtInvalidSignatureError, 'signature-invalid'],
  [errors.JwtWithoutValidKidError, 'kid-missing'],
  [errors.KidNotFoundInJwksError, 'kid-unknown'],
  // A refetch refused because another unknown kid was seen moments ago: this kid is unknown too.
  [errors.WaitPeriodNotYetEndedJwkError, 'kid-unknown'],
  [errors.JwtParseError, 'token-malformed'],
  // The JWKS could not be had or used: down, slow, not JSON, not a key set.
  [errors.FetchError, 'jwks-unavailable'],
  [errors.JwksValidationError, 'jwks-unavailable'],
  [errors.JwkValidationError, 'jwks-unavailable'],
  [errors.JwkInvalidUseError, 'jwks-unavailable'],
  [errors.JwkInvalidKtyError, 'jwks-unavailable'],
  [errors.JwksNotAvailableInCacheError, 'jwks-unavailable'],
  [errors.JwtInvalidClaimError, 'token-invalid'],
  [errors.JwtBaseError, 'token-invalid'],
];

export function refusalReasonOf(err: unknown): RefusalReason {
  for (const [errorClass, reason] of REASON_BY_ERROR_CLASS) {
    if (err instanceof errorClass) {
      return reason;
    }
  }
  return 'internal-error';
}

/** A Lambda handler over `authorizeConnect`, built from its dependencies (tests give their own verifier). */
export function createAuthorizer(deps: ConnectAuthorizerDeps) {
  return (event: ConnectAuthorizerEvent) => authorizeConnect(event, deps);
}
