/**
 * Figure 1's measuring process: one warm authorizer container. Loads the bundled authorizer as Lambda does, lets its
 * first invocation download the JWKS (through the preload, from the Cognito stand-in), then times the same RS256
 * token through four verifiers in turn, repetition after repetition: the authorizer's whole handler, a bare
 * `crypto.verify` of the token's signature (the floor), `jose` and `jsonwebtoken` with `jwk-to-pem`.
 */
import { createPublicKey, verify as cryptoVerify, JsonWebKey } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { JSONWebKeySet } from 'jose' with { 'resolution-mode': 'import' };
import * as jsonwebtoken from 'jsonwebtoken';
import jwkToPem from 'jwk-to-pem';
import { allows, connectEvent, loadAuthorizer } from './connect-authorizer';
import { measureOnInput } from '../child-process';

export interface TokenVerificationInput {
  readonly authorizerModule: string;
  readonly token: string;
  readonly jwks: { keys: JsonWebKey[] };
  readonly issuer: string;
  readonly clientId: string;
  readonly verifications: number;
  readonly repetitions: number;
}

export const VERIFIERS = ['authorizer', 'floor', 'jose', 'jsonwebtoken'] as const;
export type VerifierName = typeof VERIFIERS[number];
/** Microseconds per verification, one entry per repetition, by verifier. */
export type TokenVerificationResult = Record<VerifierName, number[]>;

type Verify = () => unknown;

/** jose is an ES module only: a real `import()`, kept from being compiled into `require`. */
const importJose = new Function('return import("jose")') as () => Promise<typeof import('jose', { with: { 'resolution-mode': 'import' } })>;

async function main(input: TokenVerificationInput): Promise<TokenVerificationResult> {
  const verifiers = await prepareVerifiers(input);
  // Warm every path (JIT, key caches) before anything is timed.
  for (const name of VERIFIERS) await timePerCall(verifiers[name], Math.min(200, input.verifications));
  const result = Object.fromEntries(VERIFIERS.map((name) => [name, [] as number[]])) as TokenVerificationResult;
  for (let repetition = 0; repetition < input.repetitions; repetition++) {
    // Rotate the order so no verifier always runs first (or last) in a repetition.
    for (let turn = 0; turn < VERIFIERS.length; turn++) {
      const name = VERIFIERS[(repetition + turn) % VERIFIERS.length];
      result[name].push(await timePerCall(verifiers[name], input.verifications));
    }
  }
  return result;
}

/** Each verifier, checked once to accept the token, so no side is timed refusing it. */
async function prepareVerifiers(input: TokenVerificationInput): Promise<Record<VerifierName, Verify>> {
  const handler = loadAuthorizer(input.authorizerModule);
  const event = connectEvent(input.token, 'benchConnection=');
  const authorizer = async () => {
    if (!allows(await handler(event))) throw new Error('the authorizer refused the benchmark token');
  };
  const jwk = input.jwks.keys[0];
  const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
  const floor = () => {
    const [header, payload, signature] = input.token.split('.');
    if (!cryptoVerify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))) {
      throw new Error('crypto.verify refused the benchmark token');
    }
  };
  const { createLocalJWKSet, jwtVerify } = await importJose();
  const jwkSet = createLocalJWKSet(input.jwks as JSONWebKeySet);
  const expected = { issuer: input.issuer, audience: input.clientId, algorithms: ['RS256'] };
  const jose = () => jwtVerify(input.token, jwkSet, expected);
  // A user of jsonwebtoken converts the JWK to PEM once and keeps it.
  const pem = jwkToPem(jwk as jwkToPem.JWK);
  const jwt = () => jsonwebtoken.verify(input.token, pem, { ...expected, algorithms: ['RS256'] });
  const verifiers: Record<VerifierName, Verify> = { authorizer, floor, jose, jsonwebtoken: jwt };
  for (const verifier of Object.values(verifiers)) await verifier();
  return verifiers;
}

/** Microseconds per call, over `count` calls one after the other (each awaited, as one container runs them). */
async function timePerCall(verifier: Verify, count: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await verifier();
  return ((performance.now() - start) * 1000) / count;
}

measureOnInput<TokenVerificationInput>(main);
