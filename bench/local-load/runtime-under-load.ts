/**
 * One measured server of figure 6 at one connection count: the local runtime (assets/local/cli.js serving the
 * construct's app) or the bare `ws` echo server, started in its own process, `connections` clients opened, one echo
 * round, resident memory read with every connection open, then stopped with all of them still open.
 */
import * as path from 'node:path';
import { startServerProcess } from './server-process';
import { closeAll, echoRound, openConnections, warmUp } from './websocket-load';
import { assetPath, BenchSettings } from '../bench-settings';
import { signInWithPassword } from '../cognito-sign-in';
import { quantile } from '../statistics';

export type ServerKind = 'runtime' | 'ws';

export interface LoadSample {
  readonly connectsPerSecond: number;
  readonly messagesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly residentMb: number;
  readonly residentWithWorkersMb: number;
  readonly stopMs: number;
}

/** The runtime's --json endpoints line, the fields the benchmark reads. */
interface RuntimeEndpoints {
  readonly websocketUrl: string;
  readonly cognitoEndpoint: string;
  readonly userPoolClientId: string;
  readonly demoUser: { readonly username: string; readonly password: string };
}

/** `stop()` with 10,000 open is held to 10 s; the measurement gives up (and fails) well after that. */
const STOP_DEADLINE_MS = 120_000;

export async function measureUnderLoad(settings: BenchSettings, kind: ServerKind, assembly: string,
  connections: number, messagesPerConnection: number): Promise<LoadSample> {
  const server = kind === 'runtime'
    ? await startServerProcess<RuntimeEndpoints>(process.execPath, [assetPath(settings, 'local', 'cli.js'), 'local', '--app', assembly, '--port', '0', '--json'],
      { cwd: settings.workDir })
    : await startServerProcess<{ websocketUrl: string }>(process.execPath, [path.join(__dirname, 'ws-echo-server.js')], { cwd: settings.repoRoot });
  let stopped = false;
  let sockets: Awaited<ReturnType<typeof openConnections>>['sockets'] = [];
  try {
    const url = kind === 'runtime' ? await authenticatedUrl(server.ready as RuntimeEndpoints) : server.ready.websocketUrl;
    await warmUp(url);
    const opened = await openConnections(url, connections);
    sockets = opened.sockets;
    const round = await echoRound(sockets, messagesPerConnection);
    const resident = server.residentMb();
    stopped = true;
    const stopMs = await server.stop(STOP_DEADLINE_MS);
    return {
      connectsPerSecond: opened.connectsPerSecond,
      messagesPerSecond: round.messagesPerSecond,
      p50Ms: quantile(round.roundTripsMs, 0.5),
      p99Ms: quantile(round.roundTripsMs, 0.99),
      residentMb: resident.main,
      residentWithWorkersMb: resident.withChildren,
      stopMs,
    };
  } finally {
    closeAll(sockets);
    if (!stopped) await server.stop(STOP_DEADLINE_MS).catch(() => undefined);
  }
}

/** The demo user's ID token in the query string, where the construct's default identity source reads it. */
async function authenticatedUrl(endpoints: RuntimeEndpoints): Promise<string> {
  const { username, password } = endpoints.demoUser;
  const token = await signInWithPassword(endpoints.cognitoEndpoint, endpoints.userPoolClientId, username, password);
  return `${endpoints.websocketUrl}?idToken=${token}`;
}
