/**
 * Figure 2's measuring process: one warm container of an authorizer, given `connects` `$connect` events one after
 * the other with the same valid token. The JWKS downloads are counted by the Cognito stand-in, not here.
 */
import { performance } from 'node:perf_hooks';
import { allows, connectEvent, loadAuthorizer } from './connect-authorizer';
import { measureOnInput } from '../child-process';

export interface JwksDownloadsInput {
  readonly authorizerModule: string;
  readonly token: string;
  readonly connects: number;
}

export interface JwksDownloadsResult {
  /** Milliseconds per `$connect`, the first (cold cache) included. */
  readonly msPerConnect: number;
  readonly allowed: number;
}

async function main(input: JwksDownloadsInput): Promise<JwksDownloadsResult> {
  const handler = loadAuthorizer(input.authorizerModule);
  let allowed = 0;
  const start = performance.now();
  for (let i = 0; i < input.connects; i++) {
    if (allows(await handler(connectEvent(input.token, `connection${i}=`)))) allowed++;
  }
  return { msPerConnect: (performance.now() - start) / input.connects, allowed };
}

measureOnInput<JwksDownloadsInput>(main);
