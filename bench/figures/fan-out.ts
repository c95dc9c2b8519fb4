/**
 * Figure 4. Fan-out: `sendToUser` of the runtime API to every connection of one user through the local @connections
 * API, against a raw keep-alive HTTP client posting the same requests (the floor) and a sequential loop (the naive
 * way). It needs the runtime API (`cdk-cognito-websocket-api/runtime`, the repository's runtime/ folder): a checkout
 * without it reports the figure as pending instead of measuring something else.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { FanOutEndpoints, FanOutInput, FanOutResult } from './fan-out-child';
import { assetPath, BenchSettings } from '../bench-settings';
import { runTypeScriptChild } from '../child-process';
import { FigureReport, FigureRow } from '../figure-report';
import { synthesizeConstructApp } from '../local-load/construct-assembly';
import { startServerProcess } from '../local-load/server-process';
import { formatNumber } from '../number-format';
import { pairedRatios, spreadOf } from '../statistics';

export function fanOutUnavailable(settings: BenchSettings): string | undefined {
  if (existsSync(path.join(settings.repoRoot, 'runtime', 'index.ts'))) return undefined;
  return 'needs sendToUser (the runtime API, cdk-cognito-websocket-api/runtime), which this checkout does not have yet';
}

export async function measureFanOut(settings: BenchSettings): Promise<FigureReport> {
  const { fanOutConnections: connections, repetitions } = settings.sizes;
  const assembly = synthesizeConstructApp(path.join(settings.workDir, 'fan-out-app'));
  const runtime = await startServerProcess<FanOutEndpoints>(process.execPath,
    [assetPath(settings, 'local', 'cli.js'), 'local', '--app', assembly, '--port', '0', '--json'], { cwd: settings.workDir });
  let result: FanOutResult;
  try {
    if (!runtime.ready.dynamoDbEndpoint || !runtime.ready.tables) throw new Error('the local runtime\'s --json line has no dynamoDbEndpoint and tables');
    const input: FanOutInput = { repoRoot: settings.repoRoot, endpoints: runtime.ready, connections, repetitions };
    // A backend on a developer's machine has some AWS credentials; the local runtime accepts any.
    const env = { AWS_REGION: runtime.ready.region, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };
    result = await runTypeScriptChild<FanOutResult>(path.join(__dirname, 'fan-out-child.ts'), { input, env, deadlineMs: 600_000 });
  } finally {
    await runtime.stop(120_000);
  }
  const ms = (values: number[]) => `${formatNumber(spreadOf(values).median)} ms`;
  // Throughput ratios: the other side's time over sendToUser's, so more is better for sendToUser.
  const row = (measure: string, other: number[], target: FigureRow['target']): FigureRow => ({
    measure,
    value: spreadOf(pairedRatios(other, result.sendToUser)),
    unit: '×',
    target,
    detail: `${ms(result.sendToUser)} vs ${ms(other)} for ${formatNumber(connections)} connections`,
  });
  return {
    figure: '4',
    title: `Fan-out to ${formatNumber(connections)} connections of one user`,
    rows: [
      row('sendToUser throughput ÷ raw keep-alive HTTP client (floor)', result.floor, { comparison: '>=', value: 0.4 }),
      row('sendToUser throughput ÷ sequential loop', result.sequential, { comparison: '>=', value: 3 }),
    ],
    notes: [
      'The local runtime (`assets/local/cli.js local --json`, serving a new app with the construct) runs in its own process; ' +
      `another runs ${formatNumber(connections)} WebSocket clients of its demo user and the three senders; ${repetitions} repetitions, the senders' order rotated, each timed from the call until every client ` +
      'received the message. sendToUser queries the user index and posts with its default concurrency (50); the floor ' +
      'posts the same requests with a keep-alive `http.Agent` of 50 sockets, given the connection ids; the sequential loop ' +
      'awaits one `PostToConnectionCommand` after the other.',
      'What bounds sendToUser here: the SDK client costs about 1.7 ms of CPU per request in the sender\'s process, which ' +
      'concurrency cannot overlap when the runtime and the clients share the same 2 cores; the raw client spends far less per ' +
      'request, and sendToUser also pays the user-index Query. On more cores than processes its concurrency overlaps the waits.',
    ],
  };
}
