/**
 * Figure 6 (and the charts of figure 7). The local runtime serving the construct's app, with real `ws` clients on
 * loopback: echo throughput and round trips against the bare `ws` echo server (the network floor) and the echo
 * handler invoked in a loop (the handler floor), connects per second, resident memory and `stop()` with every
 * connection open, and how each grows with the connection count.
 */
import * as path from 'node:path';
import { BenchSettings } from '../bench-settings';
import { FigureReport, FigureRow, Series, SeriesPoint } from '../figure-report';
import { synthesizeConstructApp } from '../local-load/construct-assembly';
import { handlerFloorMessagesPerSecond } from '../local-load/handler-floor';
import { LoadSample, measureUnderLoad } from '../local-load/runtime-under-load';
import { formatNumber } from '../number-format';
import { pairedRatios, spreadOf } from '../statistics';

export async function measureLocalRuntime(settings: BenchSettings): Promise<FigureReport> {
  const { repetitions, echoConnections, echoMessagesPerConnection, growth, growthMessagesPerConnection } = settings.sizes;
  const assembly = synthesizeConstructApp(path.join(settings.workDir, 'local-runtime-app'));
  const runtime: LoadSample[] = [];
  const ws: LoadSample[] = [];
  const handlerFloor: number[] = [];
  for (let repetition = 0; repetition < repetitions; repetition++) {
    settings.progress(`figure 6: ${formatNumber(echoConnections)} connections, repetition ${repetition + 1} of ${repetitions}`);
    runtime.push(await measureUnderLoad(settings, 'runtime', assembly, echoConnections, echoMessagesPerConnection));
    ws.push(await measureUnderLoad(settings, 'ws', assembly, echoConnections, echoMessagesPerConnection));
    handlerFloor.push(await handlerFloorMessagesPerSecond(settings, echoConnections));
  }
  const points: SeriesPoint[] = [];
  for (const connections of growth) {
    settings.progress(`figure 6: growth, ${formatNumber(connections)} connections`);
    const runtimePoint = await measureUnderLoad(settings, 'runtime', assembly, connections, growthMessagesPerConnection);
    const wsPoint = await measureUnderLoad(settings, 'ws', assembly, connections, growthMessagesPerConnection);
    points.push(seriesPoint(connections, runtimePoint, wsPoint));
  }
  return {
    figure: '6',
    title: `Local runtime with ${formatNumber(echoConnections)} connections`,
    rows: [...echoRows(runtime, ws, handlerFloor), ...growthRows(points)],
    notes: notes(settings),
    series: growthSeries(points),
  };
}

function echoRows(runtime: LoadSample[], ws: LoadSample[], handlerFloor: number[]): FigureRow[] {
  const pick = (samples: LoadSample[], key: keyof LoadSample) => samples.map((sample) => sample[key]);
  const median = (values: number[], unit: string) => `${formatNumber(spreadOf(values).median)}${unit}`;
  const runtimeRate = pick(runtime, 'messagesPerSecond');
  const wsRate = pick(ws, 'messagesPerSecond');
  return [
    {
      measure: 'echo messages/s, runtime ÷ handler floor',
      value: spreadOf(pairedRatios(runtimeRate, handlerFloor)),
      unit: '×',
      target: { comparison: '>=', value: 0.5 },
      detail: `${median(runtimeRate, '/s')} vs ${median(handlerFloor, '/s')}`,
    },
    {
      measure: 'echo messages/s, runtime ÷ bare ws server',
      value: spreadOf(pairedRatios(runtimeRate, wsRate)),
      unit: '×',
      detail: `${median(runtimeRate, '/s')} vs ${median(wsRate, '/s')}`,
    },
    { measure: 'echo round trip p50, runtime', value: spreadOf(pick(runtime, 'p50Ms')), unit: 'ms', detail: `bare ws server ${median(pick(ws, 'p50Ms'), ' ms')}` },
    { measure: 'echo round trip p99, runtime', value: spreadOf(pick(runtime, 'p99Ms')), unit: 'ms', detail: `bare ws server ${median(pick(ws, 'p99Ms'), ' ms')}` },
    {
      measure: 'connects/s, runtime (authorizer + $connect each)',
      value: spreadOf(pick(runtime, 'connectsPerSecond')),
      unit: '/s',
      target: { comparison: '>=', value: 1000 },
      detail: `bare ws server ${median(pick(ws, 'connectsPerSecond'), '/s')}`,
    },
  ];
}

/** The largest point of the growth series: how much one runtime holds, and how fast it stops with all of it open. */
function growthRows(points: SeriesPoint[]): FigureRow[] {
  const top = points[points.length - 1];
  const at = `${formatNumber(top.connections)} open`;
  return [
    {
      measure: `runtime RSS with ${at} (main process)`,
      value: top.values.runtimeRss,
      unit: 'MB',
      target: { comparison: '<=', value: 512 },
      detail: `with its function workers ${formatNumber(top.values.runtimeRssWithWorkers.median)} MB`,
    },
    { measure: `runtime stop() with ${at}`, value: top.values.runtimeStop, unit: 's', target: { comparison: '<=', value: 10 } },
  ];
}

function seriesPoint(connections: number, runtime: LoadSample, ws: LoadSample): SeriesPoint {
  const one = (value: number) => spreadOf([value]);
  return {
    connections,
    values: {
      runtimeConnects: one(runtime.connectsPerSecond),
      runtimeRate: one(runtime.messagesPerSecond),
      runtimeP50: one(runtime.p50Ms),
      runtimeP99: one(runtime.p99Ms),
      wsP50: one(ws.p50Ms),
      wsP99: one(ws.p99Ms),
      runtimeRss: one(runtime.residentMb),
      runtimeRssWithWorkers: one(runtime.residentWithWorkersMb),
      runtimeStop: one(runtime.stopMs / 1000),
    },
  };
}

function growthSeries(points: SeriesPoint[]): Series {
  return {
    title: 'Growth from the fewest to the most connections',
    measures: [
      { key: 'runtimeConnects', label: 'runtime connects', unit: '/s' },
      { key: 'runtimeRate', label: 'runtime echoes', unit: '/s' },
      { key: 'runtimeP50', label: 'runtime p50', unit: 'ms' },
      { key: 'runtimeP99', label: 'runtime p99', unit: 'ms' },
      { key: 'wsP50', label: 'bare ws p50', unit: 'ms' },
      { key: 'wsP99', label: 'bare ws p99', unit: 'ms' },
      { key: 'runtimeRss', label: 'runtime RSS', unit: 'MB' },
      { key: 'runtimeRssWithWorkers', label: 'RSS with workers', unit: 'MB' },
      { key: 'runtimeStop', label: 'stop()', unit: 's' },
    ],
    points,
    charts: [
      { title: 'Echo round trip p50 and p99 (ms): runtime, then bare ws server', keys: ['runtimeP50', 'runtimeP99', 'wsP50', 'wsP99'], unit: 'ms' },
      { title: 'Resident memory (MB): runtime process, then with its function workers', keys: ['runtimeRss', 'runtimeRssWithWorkers'], unit: 'MB' },
    ],
  };
}

function notes(settings: BenchSettings): string[] {
  const { repetitions, echoConnections, echoMessagesPerConnection, handlerFloorInvocations, growth, growthMessagesPerConnection } = settings.sizes;
  return [
    `Each repetition (${repetitions}) starts the runtime (\`assets/local/cli.js local --json\`, serving a new app with the construct) ` +
    `in its own process, opens ${formatNumber(echoConnections)} WebSocket connections with the demo user's ID token (200 handshakes in ` +
    `flight), then every connection sends ${echoMessagesPerConnection} messages, each after the echo of the one before, all at once. ` +
    'The bare `ws` echo server gets the same clients and messages in its own process. The handler floor invokes ' +
    `assets/echo/index.js ${formatNumber(handlerFloorInvocations)} times in a loop in one process, as one warm container, posting to a ` +
    'bare HTTP server.',
    `Growth: one runtime per connection count (${growth.map(formatNumber).join(', ')}), ${growthMessagesPerConnection} messages per ` +
    'connection; RSS is read from /proc with every connection open (the runtime process, and with its function worker processes); ' +
    'stop() is SIGTERM to process exit with every connection open, which runs $disconnect for each.',
    'The clients run in the benchmark\'s own process on the same cores as the servers, for every side alike.',
    'What bounds the runtime\'s echo: as Lambda runs one invocation per container, the runtime runs one per worker process, ' +
    'and at most one worker per core per function; each echo is a round trip through the gateway, IPC to the echo worker, ' +
    'the handler\'s signed SDK POST back to the runtime\'s management API, and IPC back. Profile it with ' +
    '`node --cpu-prof assets/local/cli.js local …` under the same load.',
    'Where the CPU goes, read from /proc at 1,000 connections: a connect costs about 12 ms of CPU across processes (runtime ' +
    '4.6 ms, of which about 2.4 ms is the embedded DynamoDB engine\'s PutItem; the connect handler 4.6 ms, mostly its SDK ' +
    'client; the authorizer 1.4 ms; the client 1.6 ms), so 2 cores connect at most about 170 per second: 1,000 per second ' +
    'would need under 2 ms per connect. An echo costs about 5.1 ms (runtime 1.3 ms, echo handler 3.3 ms, client 0.45 ms): ' +
    'the handler itself is the floor. stop() runs $disconnect for every connection (64 at a time), about 1.4 ms in the ' +
    'runtime and 4 ms in the handler each: 10,000 of them are about 25 s of CPU, so 2 cores cannot finish them in 10 s.',
  ];
}
