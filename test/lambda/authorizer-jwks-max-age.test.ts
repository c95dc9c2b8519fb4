import { buildAuthorizer, connectEvent } from './authorizer-test-kit';
import { cognitoClaims, createSigningKey, jwksOf, rs256Header, signJwt, USER_POOL_ID } from './cognito-test-tokens';
import { LocalJwksServer } from './local-jwks-server';
import { JWKS_MAX_AGE_MS, JWKS_REFETCH_BACKOFF_MS } from '../../lambda/authorizer/expiring-jwks-cache';

/**
 * A warm authorizer must stop trusting a key the pool no longer publishes (rotated out after a leak) within the
 * JWKS's maximum age, without turning a JWKS endpoint outage into a connect outage. The JWKS comes from a real local
 * HTTP server through the production fetcher; only the clock of the maximum age is fake.
 */

const oldKey = createSigningKey('old-key');
const newKey = createSigningKey('new-key');
const tokenOf = (key: typeof oldKey) => signJwt(rs256Header(key), cognitoClaims(), key);

let server: LocalJwksServer;
let restoreHttps: () => void;
let clock: number;
let outcomes: Array<{ outcome: unknown; reason: unknown }>;
let authorize: ReturnType<typeof buildAuthorizer>;

beforeAll(async () => {
  server = await LocalJwksServer.start(USER_POOL_ID, jwksOf(oldKey));
  restoreHttps = server.divert();
});
afterAll(async () => {
  restoreHttps();
  await server.stop();
});
beforeEach(() => {
  server.jwks = jwksOf(oldKey);
  server.answer = 'key-set';
  server.requests = 0;
  clock = 1_000_000;
  outcomes = [];
  authorize = buildAuthorizer({ now: () => clock, log: (fields) => outcomes.push({ outcome: fields.outcome, reason: fields.reason }) });
});

async function effectOf(key: typeof oldKey): Promise<string> {
  const result = await authorize(connectEvent({ queryStringParameters: { idToken: tokenOf(key) } }));
  return result.policyDocument.Statement[0].Effect;
}

test('GIVEN a key removed from the served JWKS THEN it is accepted until the maximum age, and refused from then on', async () => {
  expect(await effectOf(oldKey)).toBe('Allow');
  server.jwks = jwksOf(newKey);

  clock += JWKS_MAX_AGE_MS - 1;
  expect(await effectOf(oldKey)).toBe('Allow');
  expect(server.requests).toBe(1);

  clock += 1;
  expect(await effectOf(oldKey)).toBe('Deny');
  expect(outcomes.at(-1)).toEqual({ outcome: 'deny', reason: 'kid-unknown' });
  expect(await effectOf(newKey)).toBe('Allow');
});

test('GIVEN the JWKS endpoint down at refetch time THEN a valid cached key keeps working, and the refetch is retried only after a back-off', async () => {
  expect(await effectOf(oldKey)).toBe('Allow');
  server.answer = 'html-502';
  clock += JWKS_MAX_AGE_MS;

  expect(await effectOf(oldKey)).toBe('Allow');
  const afterFailure = server.requests;
  expect(afterFailure).toBeGreaterThan(1);
  expect(await effectOf(oldKey)).toBe('Allow');
  expect(server.requests).toBe(afterFailure);

  server.answer = 'key-set';
  server.jwks = jwksOf(newKey);
  clock += JWKS_REFETCH_BACKOFF_MS;
  expect(await effectOf(oldKey)).toBe('Deny');
  expect(await effectOf(newKey)).toBe('Allow');
});

test('GIVEN many concurrent connects after the maximum age THEN one refetch serves them all', async () => {
  expect(await effectOf(oldKey)).toBe('Allow');
  clock += JWKS_MAX_AGE_MS;
  const effects = await Promise.all(Array.from({ length: 20 }, () => effectOf(oldKey)));
  expect(effects).toEqual(Array(20).fill('Allow'));
  expect(server.requests).toBe(2);
});
