import { mkdtempSync, readFileSync, rmSync } from 'fs';
import type { Socket } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import { ensureStopped, exitWithin, startCli } from './cli-process';
import { signIn } from './cognito-test-user';
import { synthesizeWebSocketTestApp } from './fixtures/websocket-test-app';
import { handlerLogEntries } from './handler-log-entries';
import { fragmentedTextMessage, openAndStall } from './raw-socket-client';
import { closeAll, nextMessage, open } from './websocket-test-client';
import { eventually } from '../eventually';

// One client floods the runtime with 128 KiB messages and another never reads what it is sent, while a third
// measures its echo round trip. The runtime is the shipped bin in a child process, so its memory is its own.
// Loopback only, bounded in time (FLOOD_MS) and so in count.
const cli = path.join(__dirname, '..', '..', 'assets', 'local', 'cli.js');
/** How long the flood lasts. */
const FLOOD_MS = 4000;
/** The slowest echo round trip the measuring client may see during the flood: behaviour, not a benchmark. */
const MAX_ROUND_TRIP_MS = 2000;
/** How much the runtime's resident memory may grow over what it held before the flood. */
const MAX_RSS_GROWTH_BYTES = 150 * 1024 * 1024;
/** How long the runtime may take to stop (SIGINT) once the flood is over. */
const STOP_WITHIN_MS = 8000;

/** The process's resident memory (VmRSS), in bytes. */
function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * Writes `message` (already framed) over and over until `until`, as fast as the socket takes it; resolves with how
 * many were written, and whether the server cut the socket off meanwhile.
 */
async function sendUntil(socket: Socket, message: Buffer, until: number): Promise<{ sent: number; cutOff: boolean }> {
  let sent = 0;
  let cutOff = false;
  socket.on('error', () => undefined);
  socket.once('close', () => {
    cutOff = true;
  });
  while (Date.now() < until && !cutOff) {
    const flushed = socket.write(message);
    sent++;
    if (!flushed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(0, until - Date.now()));
        socket.once('drain', done);
        socket.once('close', done);
        function done() {
          clearTimeout(timer);
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        }
      });
    }
  }
  return { sent, cutOff };
}

/** The connections the gateway logged as connected (one JSON line each on the bin's stderr), in order. */
function connectedIds(stderr: string[]): string[] {
  return handlerLogEntries(stderr)
    .filter((entry) => entry.event === 'connect' && entry.outcome === 'connected')
    .map((entry) => String(entry.connectionId));
}

/**
 * Posts `message` to a connection through the `@connections` API, as a backend pushing to a user does, over and over
 * until `until` or until the connection is gone (410); resolves with how many posts were taken and whether it went.
 */
async function postUntil(callbackUrl: string, connectionId: string, message: Buffer, until: number): Promise<{ posted: number; gone: boolean }> {
  let posted = 0;
  while (Date.now() < until) {
    const response = await fetch(`${callbackUrl}/@connections/${encodeURIComponent(connectionId)}`, { method: 'POST', body: message });
    await response.arrayBuffer();
    if (response.status === 410) return { posted, gone: true };
    expect(response.status).toBe(200);
    posted++;
  }
  return { posted, gone: false };
}

describe('the local runtime under a flood', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'local-flood-test-'));
  beforeAll(() => synthesizeWebSocketTestApp(assembly));
  afterAll(() => rmSync(assembly, { recursive: true, force: true }));

  test('a flooding client and one that never reads leave another client\'s echo prompt, memory bounded, and a stop quick', async () => {
    // GIVEN the bin serving an app whose $default route is the echo, and the demo user's token
    const running = startCli(process.execPath, [cli, 'local', '--app', assembly, '--port', '0', '--json']);
    const sockets: Socket[] = [];
    try {
      const endpoints = JSON.parse(await running.firstLine);
      const pid = running.child.pid!;
      const idToken = await signIn(endpoints, endpoints.demoUser.username, endpoints.demoUser.password);
      const url = `${endpoints.websocketUrl}?idToken=${idToken}`;
      // AND a measuring client, warmed up (the echo's workers are started)
      const measuring = await open(url);
      for (let i = 0; i < 3; i++) {
        const reply = nextMessage(measuring);
        measuring.send(`warm-up ${i}`);
        await reply;
      }
      const rssBefore = residentBytes(pid);

      // WHEN one client sends 128 KiB messages, in 32 KiB frames, as fast as the runtime reads them (and reads what it
      // is sent), and a backend posts 128 KiB messages to another client, which never reads
      const flooder = await openAndStall(url);
      flooder.resume();
      const nonReader = await openAndStall(url);
      sockets.push(flooder, nonReader);
      const nonReaderId = (await eventually('the client that never reads to be connected',
        () => connectedIds(running.stderr), (ids) => ids.length === 3))[2];
      const until = Date.now() + FLOOD_MS;
      const flooding = sendUntil(flooder, fragmentedTextMessage(Buffer.alloc(128 * 1024, 'f'), 32 * 1024), until);
      const pushing = postUntil(endpoints.callbackUrl, nonReaderId, Buffer.alloc(128 * 1024, 'n'), until);
      // AND meanwhile the measuring client sends a message at a time and times each echo, and the runtime's memory is read
      const roundTrips: number[] = [];
      let rssPeak = rssBefore;
      const sampling = setInterval(() => {
        rssPeak = Math.max(rssPeak, residentBytes(pid));
      }, 100);
      try {
        for (let i = 0; Date.now() < until; i++) {
          const sentAt = Date.now();
          const reply = nextMessage(measuring);
          measuring.send(`ping ${i}`);
          expect(JSON.parse(await reply)).toEqual({ message: `ping ${i}` });
          roundTrips.push(Date.now() - sentAt);
        }
      } finally {
        clearInterval(sampling);
      }
      const [flood, pushed] = await Promise.all([flooding, pushing]);

      // THEN the measuring client was answered throughout, each echo within the bound
      expect(roundTrips.length).toBeGreaterThan(0);
      expect(Math.max(...roundTrips)).toBeLessThan(MAX_ROUND_TRIP_MS);
      // AND the client that never read was cut off (the backend's next post found it gone), and the flooder was not (it reads)
      expect(pushed.gone).toBe(true);
      expect(flood.cutOff).toBe(false);
      // AND the runtime's memory stayed bounded
      expect(rssPeak - rssBefore).toBeLessThan(MAX_RSS_GROWTH_BYTES);

      // WHEN it is stopped with Ctrl-C right after the flood
      const closing = closeAll([measuring]);
      running.child.kill('SIGINT');
      // THEN it exits 0 within seconds
      expect(await exitWithin(running, 'the bin after a flood and Ctrl-C', STOP_WITHIN_MS)).toBe(0);
      await closing;
    } finally {
      for (const socket of sockets) socket.destroy();
      await ensureStopped(running);
    }
  });
});
