import { SimpleFetcher } from 'aws-jwt-verify/https';
import { buildAuthorizer, captureStdout, connectEvent } from './authorizer-test-kit';
import { cognitoClaims, createSigningKey, JWKS_URI, jwksOf, rs256Header, signJwt, USER_POOL_ID } from './cognito-test-tokens';
import { JwksAnswer, LocalJwksServer, refusingEndpoint } from './local-jwks-server';
import {
  JWKS_FETCH_DEADLINE_MS, JWKS_RESPONSE_TIMEOUT_MS, JWKS_UNKNOWN_KID_PENALTY_SECONDS, JwksDeadlineExceededError, withDeadline,
} from '../../lambda/authorizer/cognito-token-verifier';
import { interceptCognitoJwks } from '../../local/jwks-interceptor';

/**
 * The authorizer's first $connect in a container downloads the JWKS. Every way that download can go wrong must
 * refuse the connection quickly (far under API Gateway's 29 s integration timeout) and leave nothing behind that
 * stops the next $connect from succeeding once the JWKS is back. The JWKS comes from a real local HTTP server,
 * fetched by the authorizer's production fetcher (aws-jwt-verify's SimpleFetcher with our timeouts).
 */

const poolKey = createSigningKey('pool-key');
const jwks = jwksOf(poolKey);
const token = signJwt(rs256Header(poolKey), cognitoClaims(), poolKey);
/** Far under API Gateway's 29 s, with room for a busy machine. */
const REFUSED_WITHIN_MS = 10_000;

let server: LocalJwksServer;
let restoreHttps: (() => void) | undefined;

beforeAll(async () => {
  server = await LocalJwksServer.start(USER_POOL_ID, jwks);
});
beforeEach(() => {
  server.answer = 'key-set';
  server.requests = 0;
});
afterEach(() => {
  restoreHttps?.();
  restoreHttps = undefined;
});
afterAll(() => server.stop());

/** The authorizer as index.ts builds it: no transport given, so the JWKS is downloaded by the production fetcher. */
const productionAuthorizer = () => buildAuthorizer({});

async function connectOnce(authorize: ReturnType<typeof buildAuthorizer>) {
  const started = performance.now();
  const { result, lines } = await captureStdout(() => authorize(connectEvent({ queryStringParameters: { idToken: token } })));
  return {
    effect: result.policyDocument.Statement[0].Effect,
    reason: JSON.parse(lines[0]).reason as string | undefined,
    elapsedMs: performance.now() - started,
  };
}

const SERVED_FAULTS: Array<[string, JwksAnswer, string]> = [
  ['hanging (accepts, never answers)', 'hang', 'jwks-unavailable'],
  ['answering 502 with an HTML page', 'html-502', 'jwks-unavailable'],
  ['answering JSON that is not a key set', 'not-a-key-set', 'jwks-unavailable'],
];

describe.each(SERVED_FAULTS)('JWKS %s', (_name, fault, reason) => {
  test('refuses fast, then recovers as soon as the JWKS is back', async () => {
    // GIVEN a fresh container whose JWKS endpoint fails
    server.answer = fault;
    restoreHttps = server.divert();
    const authorize = productionAuthorizer();
    // WHEN a user connects, THEN the connection is refused for the JWKS's sake, within the bound
    const refused = await connectOnce(authorize);
    expect(refused).toMatchObject({ effect: 'Deny', reason });
    expect(refused.elapsedMs).toBeLessThan(REFUSED_WITHIN_MS);
    const faultyRequests = server.requests;
    expect(faultyRequests).toBeGreaterThanOrEqual(1);
    // WHEN the JWKS is back, THEN the next $connect on the same container downloads it once and succeeds
    server.answer = 'key-set';
    expect(await connectOnce(authorize)).toMatchObject({ effect: 'Allow' });
    expect(server.requests).toBe(faultyRequests + 1);
  });
});

test('JWKS down (connection refused): refuses fast, then recovers once the endpoint listens', async () => {
  // GIVEN a fresh container whose JWKS URL leads to a port nothing listens on
  restoreHttps = interceptCognitoJwks(await refusingEndpoint());
  const authorize = productionAuthorizer();
  const refused = await connectOnce(authorize);
  expect(refused).toMatchObject({ effect: 'Deny', reason: 'jwks-unavailable' });
  expect(refused.elapsedMs).toBeLessThan(REFUSED_WITHIN_MS);
  // WHEN the endpoint is reachable again, THEN the same container recovers
  restoreHttps();
  restoreHttps = server.divert();
  expect(await connectOnce(authorize)).toMatchObject({ effect: 'Allow' });
  expect(server.requests).toBe(1);
});

test('a hanging JWKS is waited for until the fetcher\'s response timeout, once retried, and no longer than the deadline allows', async () => {
  server.answer = 'hang';
  restoreHttps = server.divert();
  const refused = await connectOnce(productionAuthorizer());
  expect(refused.reason).toBe('jwks-unavailable');
  // The timeouts fired (not some earlier failure): at least one response timeout elapsed, and aws-jwt-verify's
  // one immediate retry went out, so the deadline is what bounds the whole download
  expect(refused.elapsedMs).toBeGreaterThanOrEqual(JWKS_RESPONSE_TIMEOUT_MS);
  expect(server.requests).toBe(2);
  expect(refused.elapsedMs).toBeLessThan(JWKS_FETCH_DEADLINE_MS + 1_000);
});

test('the deadline cuts off a download that the fetcher itself would still wait for', async () => {
  // GIVEN a fetcher with generous timeouts of its own, wrapped in a short deadline, against a hanging endpoint
  server.answer = 'hang';
  restoreHttps = server.divert();
  const deadlineMs = 500;
  const patient = withDeadline(new SimpleFetcher({ defaultRequestOptions: { responseTimeout: 60_000 } }), deadlineMs);
  const started = performance.now();
  // WHEN it downloads, THEN the deadline rejects it, after the deadline and not much later
  await expect(patient.fetch(JWKS_URI)).rejects.toBeInstanceOf(JwksDeadlineExceededError);
  const elapsedMs = performance.now() - started;
  expect(elapsedMs).toBeGreaterThanOrEqual(deadlineMs - 20);
  expect(elapsedMs).toBeLessThan(deadlineMs + 2_000);
});

test('an empty key set refuses, and a key set with the key is used once the unknown-kid penalty has passed', async () => {
  server.answer = 'empty-key-set';
  restoreHttps = server.divert();
  const authorize = productionAuthorizer();
  expect(await connectOnce(authorize)).toMatchObject({ effect: 'Deny', reason: 'kid-unknown' });
  server.answer = 'key-set';
  // Within the penalty, the JWKS is not downloaded again for an unknown kid (a flood of made-up kids stays cheap)
  expect(await connectOnce(authorize)).toMatchObject({ effect: 'Deny', reason: 'kid-unknown' });
  expect(server.requests).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, JWKS_UNKNOWN_KID_PENALTY_SECONDS * 1000 + 200));
  expect(await connectOnce(authorize)).toMatchObject({ effect: 'Allow' });
  expect(server.requests).toBe(2);
});

test('the JWKS is downloaded once per container, not once per $connect', async () => {
  restoreHttps = server.divert();
  const outcomes: unknown[] = [];
  const authorize = buildAuthorizer({ log: (fields) => outcomes.push(fields.outcome) });
  const event = connectEvent({ queryStringParameters: { idToken: token } });
  // 20 concurrent cold-start $connects share one download; a later one uses the cache
  await Promise.all(Array.from({ length: 20 }, () => authorize(event)));
  await authorize(event);
  expect(outcomes).toEqual(Array(21).fill('allow'));
  expect(server.requests).toBe(1);
});
