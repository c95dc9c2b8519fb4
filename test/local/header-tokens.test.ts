import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import { eventually } from '../eventually';
import { signUpAndSignIn } from './cognito-test-user';
import { CUSTOM_TOKEN_HEADER, synthesizeHeaderTokensApp } from './fixtures/header-tokens-app';
import { handlerLogEntries } from './handler-log-entries';
import { closeAll, connect, nextMessage } from './websocket-test-client';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';

/**
 * Tokens in a request header, through the local runtime with real `ws` clients: `Authorization: Bearer <jwt>`
 * (`TokenSource.header()`) and a header of the app's own (`TokenSource.header('X-Session-Token')`), verified by
 * the construct's own authorizer; a handshake without the header is refused (401) before the authorizer runs, as API
 * Gateway refuses a request that lacks an identity source.
 */
describe('header tokens through the local runtime', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'header-tokens-'));
  const handlerLines: string[] = [];
  const sockets: WebSocket[] = [];
  let runtime: LocalRuntime;
  let idToken: string;

  beforeAll(async () => {
    synthesizeHeaderTokensApp(assembly);
    runtime = await startLocalRuntime({ cloudAssembly: assembly, onHandlerLog: (name, line) => handlerLines.push(`${name} ${line}`) });
    idToken = await signUpAndSignIn(runtime, 'header-user');
  }, 60_000);

  afterEach(async () => closeAll(sockets.splice(0)));

  afterAll(async () => {
    await runtime?.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  const urlOf = (prefix: 'Bearer' | 'Custom') => {
    const api = runtime.apis.find(({ logicalId }) => logicalId.startsWith(`${prefix}Api`));
    if (!api) throw new Error(`the runtime serves no ${prefix} API: ${runtime.apis.map(({ logicalId }) => logicalId).join(', ')}`);
    return api.websocketUrl;
  };
  const connectWith = async (prefix: 'Bearer' | 'Custom', headers: Record<string, string>, url = urlOf(prefix)) => {
    const result = await connect(url, undefined, { headers });
    if (result.socket) sockets.push(result.socket);
    return result;
  };
  /** What the authorizer has logged so far: one entry per decision. */
  const authorizerEntries = () => handlerLogEntries(handlerLines).filter((entry) => entry.handler === 'authorizer');
  /** Sends a message and resolves with the echo's answer. */
  const echo = async (socket: WebSocket, message: string) => {
    const answer = nextMessage(socket);
    socket.send(message);
    return JSON.parse(await answer);
  };

  test('Authorization: Bearer <jwt> is admitted, and the connection is echoed', async () => {
    const { socket, status } = await connectWith('Bearer', { Authorization: `Bearer ${idToken}` });
    expect(status).toBeUndefined();
    expect(await echo(socket!, 'over a header')).toEqual({ message: 'over a header' });
  });

  test('a token of the app\'s own header is admitted, and the connection is echoed', async () => {
    const { socket, status } = await connectWith('Custom', { [CUSTOM_TOKEN_HEADER]: idToken });
    expect(status).toBeUndefined();
    expect(await echo(socket!, 'over my header')).toEqual({ message: 'over my header' });
  });

  test('a bad token in the header is refused (403) by the authorizer', async () => {
    const [header, payload] = idToken.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    expect((await connectWith('Bearer', { Authorization: `Bearer ${forged}` })).status).toBe(403);
    expect((await connectWith('Custom', { [CUSTOM_TOKEN_HEADER]: forged })).status).toBe(403);
  });

  test('without the header (the token in the query string, or in another header) the handshake is refused (401) and the authorizer never runs', async () => {
    // WHEN clients connect without the configured header
    expect((await connectWith('Bearer', {}, `${urlOf('Bearer')}?idToken=${idToken}`)).status).toBe(401);
    expect((await connectWith('Bearer', { [CUSTOM_TOKEN_HEADER]: idToken })).status).toBe(401);
    expect((await connectWith('Custom', { Authorization: `Bearer ${idToken}` })).status).toBe(401);
    // AND then a new user connects with it (the authorizer's decision on it is logged after any on those before)
    const latecomer = await signUpAndSignIn(runtime, 'header-latecomer');
    const { sub } = JSON.parse(Buffer.from(latecomer.split('.')[1], 'base64url').toString()) as { sub: string };
    expect((await connectWith('Custom', { [CUSTOM_TOKEN_HEADER]: latecomer })).status).toBeUndefined();
    await eventually('the latecomer to be allowed', async () => authorizerEntries(), (entries) => entries.some((entry) => entry.userId === sub), 20_000);
    // THEN the authorizer never saw a request whose token was not where the API takes it
    expect(authorizerEntries().filter((entry) => ['token-missing', 'token-in-other-carrier'].includes(entry.reason as string))).toEqual([]);
  });
});
