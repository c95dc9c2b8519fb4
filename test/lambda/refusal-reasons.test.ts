import * as errors from 'aws-jwt-verify/error';
import { RefusalReason, refusalReasonOf } from '../../lambda/authorizer/authorize-connect';
import { RequiredClaimMissingError } from '../../lambda/authorizer/cognito-token-verifier';

// Every error aws-jwt-verify (or our own claim check) can reject a token with, and the code the authorizer logs for
// it. Some cannot be provoked with a real token against a Cognito verifier (an audience error: Cognito's checks throw
// their own client-id error first), yet each must still map to the code ops read, and a subclass aws-jwt-verify adds
// later to the nearest code of its parent rather than to `internal-error`.
/** A claim check aws-jwt-verify may add later: a subclass of its claim error this authorizer does not know. */
class FutureClaimError extends errors.JwtInvalidClaimError {}
const TOKEN_URI = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1/.well-known/jwks.json';
const CASES: Array<[string, Error, RefusalReason]> = [
  ['a required claim missing (our check)', new RequiredClaimMissingError('sub'), 'claim-missing'],
  ['a required group missing', new errors.CognitoJwtInvalidGroupError('no group', undefined, ['admins']), 'group-missing'],
  ['the wrong token use', new errors.CognitoJwtInvalidTokenUseError('not id', 'access', 'id'), 'token-use-invalid'],
  ['another app client (client_id)', new errors.CognitoJwtInvalidClientIdError('client', 'x', 'y'), 'client-invalid'],
  ['another app client (aud)', new errors.JwtInvalidAudienceError('aud', 'x', 'y'), 'client-invalid'],
  ['another issuer', new errors.JwtInvalidIssuerError('iss', 'x', 'y'), 'issuer-invalid'],
  ['an issuer not configured', new errors.ParameterValidationError('issuer not configured'), 'issuer-invalid'],
  ['expired', new errors.JwtExpiredError('expired', 1), 'token-expired'],
  ['not yet valid', new errors.JwtNotBeforeError('nbf', 1), 'token-not-yet-valid'],
  ['an algorithm other than RS256', new errors.JwtInvalidSignatureAlgorithmError('alg', 'HS256', 'RS256'), 'algorithm-invalid'],
  ['a bad signature', new errors.JwtInvalidSignatureError('signature'), 'signature-invalid'],
  ['no kid', new errors.JwtWithoutValidKidError('kid'), 'kid-missing'],
  ['a kid not in the JWKS', new errors.KidNotFoundInJwksError('kid'), 'kid-unknown'],
  ['a kid refetch refused within the penalty', new errors.WaitPeriodNotYetEndedJwkError('wait'), 'kid-unknown'],
  ['not a JWT', new errors.JwtParseError('parse'), 'token-malformed'],
  ['the JWKS download failed', new errors.FetchError(TOKEN_URI, 'refused'), 'jwks-unavailable'],
  ['a download that is retried no more', new errors.NonRetryableFetchError(TOKEN_URI, 'status 404'), 'jwks-unavailable'],
  ['the JWKS is no key set', new errors.JwksValidationError('keys'), 'jwks-unavailable'],
  ['a key of the JWKS is invalid', new errors.JwkValidationError('jwk'), 'jwks-unavailable'],
  ['a key not meant for signatures', new errors.JwkInvalidUseError('use', 'enc', 'sig'), 'jwks-unavailable'],
  ['a key that is not RSA', new errors.JwkInvalidKtyError('kty', 'EC', 'RSA'), 'jwks-unavailable'],
  ['no JWKS in the cache', new errors.JwksNotAvailableInCacheError('cache'), 'jwks-unavailable'],
  ['a required scope missing', new errors.JwtInvalidScopeError('scope', 'x', 'y'), 'scope-missing'],
  ['another invalid claim (one aws-jwt-verify adds later)', new FutureClaimError('claim', 'x', 'y'), 'token-invalid'],
  ['any other aws-jwt-verify error', new errors.NotSupportedError('unsupported'), 'token-invalid'],
  ['an error that is not aws-jwt-verify\'s', new TypeError('boom'), 'internal-error'],
];

test.each(CASES)('a token refused for %s is logged with its own code', (_name, error, reason) => {
  // GIVEN the verifier's error, WHEN the authorizer names the refusal, THEN it is the code for that error
  expect(refusalReasonOf(error)).toBe(reason);
});
