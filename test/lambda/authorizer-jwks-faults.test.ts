import { FetchError } from 'aws-jwt-verify/error';
import { buildAuthorizer, bytes, captureStdout, connectEvent, InMemoryJwksTransport } from './authorizer-test-kit';
import { cognitoClaims, createSigningKey, JWKS_URI, jwksOf, rs256Header, signJwt } from './cognito-test-tokens';
import {
  JWKS_FETCH_DEADLINE_MS, JWKS_UNKNOWN_KID_PENALTY_SECONDS,
} from '../../lambda/authorizer/cognito-token-verifier';

/**
 * The authorizer's first $connect in a container downloads the JWKS. Every way that download can
 * go wrong must refuse the connection quickly and leave nothing behind that stops the next
 * $connect from succeeding once the JWKS is back.
 */

const poolKey = createSigningKey('pool-key');
const jwks = jwksOf(poolKey);
const token = signJwt(rs256Header(poolKey), cognitoClaims(), poolKey);
const healthy = async () => bytes(JSON.stringify(jwks));

async function connectOnce(authorize: ReturnType<typeof buildAuthorizer>) {
  const started = performance.now();
  const { result, lines } = await captureStdout(() => authorize(connectEvent({ queryStringParameters: { idToken: token } })));
  return {
    effect: result.policyDocument.Statement[0].Effect,
    reason: JSON.parse(lines[0]).reason as string | undefined,
    elapsedMs: performance.now() - started,
    lines,
  };
}

/** A JWKS download that never answers, like a black-holed endpoint. */
const neverAnswers = () => new Promise<ArrayBuffer>(() => {});

const FAULTS: Array<[string, () => Promise<ArrayBuffer>, string]> = [
  ['down (connection refused)', async () => { throw new FetchError(JWKS_URI, 'connect ECONNREFUSED'); }, 'jwks-unavailable'],
  ['slow (no answer within the deadline)', neverAnswers, 'jwks-unavailable'],
  ['answering an HTML error page', async () => bytes('<html><body>502 Bad Gateway</body></html>'), 'jwks-unavailable'],
  ['answering JSON that is not a key set', async () => bytes('{"message":"Internal error"}'), 'jwks-unavailable'],
];

describe.each(FAULTS)('JWKS %s', (_name, fault, reason) => {
  test('refuses fast, then recovers as soon as the JWKS is back', async () => {
    // GIVEN a fresh container whose JWKS download fails
    const transport = new InMemoryJwksTransport(fault);
    const authorize = buildAuthorizer({ transport });
    // WHEN a user connects
    const refused = await connectOnce(authorize);
    // THEN the connection is refused, well within API Gateway's 29 s, for the JWKS's sake
    expect(refused.effect).toBe('Deny');
    expect(refused.reason).toBe(reason);
    expect(refused.elapsedMs).toBeLessThan(10_000);
    // WHEN the JWKS is back, the next $connect on the same container succeeds
    transport.answer = healthy;
    const accepted = await connectOnce(authorize);
    expect(accepted.effect).toBe('Allow');
    expect(transport.downloads).toBe(2);
  });
});

test('a slow JWKS is cut off by the deadline, not by API Gateway', async () => {
  const authorize = buildAuthorizer({ transport: new InMemoryJwksTransport(neverAnswers) });
  const refused = await connectOnce(authorize);
  expect(refused.reason).toBe('jwks-unavailable');
  // The deadline fired (not some earlier failure): at least the configured deadline elapsed
  expect(refused.elapsedMs).toBeGreaterThanOrEqual(JWKS_FETCH_DEADLINE_MS - 50);
});

test('an empty key set refuses, and a key set with the key is used once the unknown-kid penalty has passed', async () => {
  const transport = InMemoryJwksTransport.serving({ keys: [] });
  const authorize = buildAuthorizer({ transport });
  expect(await connectOnce(authorize)).toMatchObject({ effect: 'Deny', reason: 'kid-unknown' });
  transport.answer = healthy;
  // Within the penalty, the JWKS is not downloaded again for an unknown kid (a flood of made-up kids stays cheap)
  expect(await connectOnce(authorize)).toMatchObject({ effect: 'Deny', reason: 'kid-unknown' });
  expect(transport.downloads).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, JWKS_UNKNOWN_KID_PENALTY_SECONDS * 1000 + 200));
  expect(await connectOnce(authorize)).toMatchObject({ effect: 'Allow' });
  expect(transport.downloads).toBe(2);
});

test('the JWKS is downloaded once per container, not once per $connect', async () => {
  const transport = InMemoryJwksTransport.serving(jwks);
  const outcomes: unknown[] = [];
  const authorize = buildAuthorizer({ transport, log: (fields) => outcomes.push(fields.outcome) });
  const event = connectEvent({ queryStringParameters: { idToken: token } });
  // 20 concurrent cold-start $connects share one download; a later one uses the cache
  await Promise.all(Array.from({ length: 20 }, () => authorize(event)));
  await authorize(event);
  expect(outcomes).toEqual(Array(21).fill('allow'));
  expect(transport.downloads).toBe(1);
});
