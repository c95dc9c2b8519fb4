/**
 * Figure 1. Token verification: the bundled authorizer's whole handler on a warm container, JWKS cached, against a
 * bare `crypto.verify` of the same RS256 token (the floor), with `jose` and `jsonwebtoken` + `jwk-to-pem` (the
 * verifiers a user would pick instead) on the same token, in the same process, turn by turn.
 */
import * as path from 'node:path';
import { TokenVerificationInput, TokenVerificationResult } from './token-verification-child';
import { assetPath, BenchSettings } from '../bench-settings';
import { runTypeScriptChild } from '../child-process';
import { BENCH_CLIENT_ID, BENCH_REGION, BENCH_USER_POOL_ID, CognitoStandIn } from '../cognito-stand-in';
import { FigureReport, FigureRow } from '../figure-report';
import { formatNumber } from '../number-format';
import { pairedRatios, spreadOf } from '../statistics';

export async function measureTokenVerification(settings: BenchSettings): Promise<FigureReport> {
  const { verifications, repetitions } = settings.sizes;
  const cognito = await CognitoStandIn.start();
  let result: TokenVerificationResult;
  try {
    const input: TokenVerificationInput = {
      authorizerModule: assetPath(settings, 'authorizer', 'index.js'),
      token: cognito.idToken,
      jwks: cognito.jwks as TokenVerificationInput['jwks'],
      issuer: cognito.issuer,
      clientId: BENCH_CLIENT_ID,
      verifications,
      repetitions,
    };
    result = await runTypeScriptChild<TokenVerificationResult>(path.join(__dirname, 'token-verification-child.ts'), {
      input,
      env: { ...authorizerEnvironment(), ...cognito.jwksEnvironment },
      preloads: [assetPath(settings, 'local', 'jwks-interceptor.js')],
      deadlineMs: 300_000,
    });
  } finally {
    await cognito.close();
  }
  const microseconds = (values: number[]) => `${formatNumber(spreadOf(values).median)} µs`;
  const againstFloor = (measure: string, name: keyof TokenVerificationResult, target?: FigureRow['target']): FigureRow => ({
    measure,
    value: spreadOf(pairedRatios(result[name], result.floor)),
    unit: '×',
    target,
    detail: `${microseconds(result[name])} vs ${microseconds(result.floor)}`,
  });
  return {
    figure: '1',
    title: 'Token verification (warm container, JWKS cached)',
    rows: [
      againstFloor('authorizer handler ÷ crypto.verify (floor)', 'authorizer', { comparison: '<=', value: 1.6 }),
      againstFloor('jose jwtVerify ÷ crypto.verify', 'jose'),
      againstFloor('jsonwebtoken + jwk-to-pem ÷ crypto.verify', 'jsonwebtoken'),
    ],
    notes: [
      `One RS256 ID token (2048-bit key) issued by the local Cognito endpoint; ${verifications} verifications per repetition ` +
      `and verifier, one after the other, in one process; ${repetitions} repetitions, the verifiers' order rotated each time.`,
      'The authorizer side is the whole bundled handler (assets/authorizer/index.js): token extraction from the REQUEST event ' +
      '(with the fourteen headers of a browser\'s handshake as API Gateway passes them), ' +
      'aws-jwt-verify with every Cognito claim check, the policy and its JSON log line. The floor splits the token and calls ' +
      '`crypto.verify` with a key object made once. jose checks issuer, audience and algorithm against a local JWK set; ' +
      'jsonwebtoken the same against a PEM converted once.',
      'Between the authorizer and the floor: reading the token from the event, aws-jwt-verify decoding and parsing the ' +
      'header and payload (its prototype-safe JSON parse, with a reviver) and checking every Cognito claim, its streaming ' +
      '`createVerify` (the floor\'s is one-shot), the policy and the one log line per decision, a synchronous write to ' +
      'stdout (here /dev/null) whose system call is the largest single part on this machine.',
    ],
  };
}

/** The environment the construct gives the authorizer, for the benchmark's pool and client. */
export function authorizerEnvironment(): Record<string, string> {
  return {
    AWS_REGION: BENCH_REGION,
    USER_POOL_ID: BENCH_USER_POOL_ID,
    CLIENT_IDS: BENCH_CLIENT_ID,
    TOKEN_USE: 'id',
    TOKEN_SOURCE_KIND: 'querystring',
    TOKEN_SOURCE_NAME: 'idToken',
    REQUIRED_GROUPS: '',
  };
}
