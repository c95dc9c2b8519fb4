import { authorizerEnv } from './authorizer-test-kit';
import { cognitoClaims, createSigningKey, JWKS_URI, jwksOf, rs256Header, signJwt } from './cognito-test-tokens';
import { readAuthorizerConfig } from '../../lambda/authorizer/authorizer-config';
import { createCognitoTokenVerifier, RequiredClaimMissingError, withDeadline } from '../../lambda/authorizer/cognito-token-verifier';

const poolKey = createSigningKey('pool-key');

describe('the claims aws-jwt-verify does not require and the authorizer does', () => {
  test.each(['sub', 'exp'] as const)('a token without %s is refused with an error naming it', async (claim) => {
    // GIVEN a verifier holding the pool's key, and a token of the pool signed without the claim
    const verifier = createCognitoTokenVerifier(readAuthorizerConfig(authorizerEnv()));
    verifier.cacheJwks(jwksOf(poolKey) as Parameters<typeof verifier.cacheJwks>[0]);
    const claims = cognitoClaims();
    delete claims[claim];
    // WHEN it is verified, THEN the error names the missing claim
    const refusal = verifier.verify(signJwt(rs256Header(poolKey), claims, poolKey));
    await expect(refusal).rejects.toBeInstanceOf(RequiredClaimMissingError);
    await expect(refusal).rejects.toMatchObject({ claim, message: `token has no ${claim} claim` });
  });
});

describe('withDeadline', () => {
  afterEach(() => jest.useRealTimers());

  test('a download within the deadline leaves no timer behind to hold the container', async () => {
    // GIVEN a transport that answers at once, wrapped in a deadline, with the clock under the test's control
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
    const body = new ArrayBuffer(2);
    const bounded = withDeadline({ fetch: async () => body }, 3_000);
    // WHEN it downloads, THEN the answer is the transport's and the deadline's timer is gone
    await expect(bounded.fetch(JWKS_URI)).resolves.toBe(body);
    expect(jest.getTimerCount()).toBe(0);
  });

  test('a download past the deadline is rejected with the URI and the deadline', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
    const bounded = withDeadline({ fetch: () => new Promise<ArrayBuffer>(() => undefined) }, 3_000);
    const download = bounded.fetch(JWKS_URI);
    jest.advanceTimersByTime(3_000);
    await expect(download).rejects.toThrow(`Failed to fetch ${JWKS_URI}: no JWKS within 3000 ms`);
  });
});
