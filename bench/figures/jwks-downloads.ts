/**
 * Figure 2. JWKS downloads per `$connect` on one warm container, counted at the Cognito stand-in: the bundled
 * authorizer (verifier at module scope) against the AWS sample's pattern (verifier created inside the handler).
 */
import * as path from 'node:path';
import { JwksDownloadsInput, JwksDownloadsResult } from './jwks-downloads-child';
import { authorizerEnvironment } from './token-verification';
import { assetPath, BenchSettings } from '../bench-settings';
import { runTypeScriptChild } from '../child-process';
import { BENCH_CLIENT_ID, CognitoStandIn } from '../cognito-stand-in';
import { FigureReport } from '../figure-report';
import { formatNumber } from '../number-format';
import { pairedRatios, spreadOf } from '../statistics';

interface Side {
  readonly downloads: number[];
  readonly msPerConnect: number[];
}

export async function measureJwksDownloads(settings: BenchSettings): Promise<FigureReport> {
  const { connects, repetitions } = settings.sizes;
  const cognito = await CognitoStandIn.start();
  const ours: Side = { downloads: [], msPerConnect: [] };
  const sample: Side = { downloads: [], msPerConnect: [] };
  try {
    const container = async (authorizerModule: string, side: Side) => {
      cognito.resetDownloads();
      const input: JwksDownloadsInput = { authorizerModule, token: cognito.idToken, connects };
      const result = await runTypeScriptChild<JwksDownloadsResult>(path.join(__dirname, 'jwks-downloads-child.ts'), {
        input,
        env: { ...authorizerEnvironment(), APP_CLIENT_ID: BENCH_CLIENT_ID, ...cognito.jwksEnvironment },
        preloads: [assetPath(settings, 'local', 'jwks-interceptor.js')],
        deadlineMs: 300_000,
      });
      if (result.allowed !== connects) throw new Error(`an authorizer refused ${connects - result.allowed} of ${connects} valid tokens`);
      side.downloads.push(cognito.downloads);
      side.msPerConnect.push(result.msPerConnect);
    };
    for (let repetition = 0; repetition < repetitions; repetition++) {
      await container(assetPath(settings, 'authorizer', 'index.js'), ours);
      await container(path.join(__dirname, '..', 'sample-way', 'authorizer-per-invocation.ts'), sample);
    }
  } finally {
    await cognito.close();
  }
  const ms = (values: number[]) => `${formatNumber(spreadOf(values).median)} ms`;
  return {
    figure: '2',
    title: `JWKS downloads per ${formatNumber(connects)} $connect on one warm container`,
    rows: [
      { measure: `JWKS downloads, ours (${formatNumber(connects)} $connect)`, value: spreadOf(ours.downloads), unit: 'downloads', target: { comparison: '<=', value: 1 } },
      { measure: `JWKS downloads, the sample's pattern (${formatNumber(connects)} $connect)`, value: spreadOf(sample.downloads), unit: 'downloads' },
      {
        measure: '$connect authorizer time, ours ÷ the sample\'s pattern',
        value: spreadOf(pairedRatios(ours.msPerConnect, sample.msPerConnect)),
        unit: '×',
        detail: `${ms(ours.msPerConnect)} vs ${ms(sample.msPerConnect)} per $connect, over loopback`,
      },
    ],
    notes: [
      `Each repetition is a fresh process (a new container) given ${formatNumber(connects)} $connect events one after the other with ` +
      'a valid ID token; the JWKS requests are counted where they arrive, at the local Cognito endpoint, reached through the ' +
      'same preload the local runtime uses (the handler\'s https request for the pool\'s JWKS URL is answered over loopback).',
      'The sample\'s pattern is its authorizer as written there: `CognitoJwtVerifier.create` inside the handler. Over loopback ' +
      'a download costs well under a millisecond; from Lambda to Cognito it is a TLS connection and a round trip per $connect.',
    ],
  };
}
