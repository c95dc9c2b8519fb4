import { ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { AddressInfo, createServer as createTcpServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { buildSync } from 'esbuild';
import { LocalIdentityProvider } from '../../local/identity';
import { LOCAL_COGNITO_ENDPOINT_ENV, localJwksUrl } from '../../local/jwks-interceptor';

const REPO_ROOT = join(__dirname, '..', '..');
const REGION = 'us-east-1';
const POOL_ID = 'us-east-1_Intercept1';
const CLIENT_ID = 'interceptclient';

/**
 * The child verifies a token exactly as the authorizer bundle does (aws-jwt-verify bundled by
 * esbuild for Node, JWKS fetched from Cognito's https URL), then makes one more https request.
 */
const CHILD_SOURCE = `
import https from 'node:https';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
const { idToken, userPoolId, clientId, otherUrl } = JSON.parse(process.env.PROBE_INPUT);
const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'id' });
async function main() {
const report = {};
try {
  report.sub = (await verifier.verify(idToken)).sub;
} catch (err) {
  report.verifyError = err.name;
}
report.other = await new Promise((resolve) => {
  const req = https.request(otherUrl, () => resolve('response'));
  req.on('error', (err) => resolve('error ' + (err.code ?? err.name)));
  req.end();
});
process.send(report, () => process.exit(0));
}
void main();
`;

describe('jwks-interceptor preload', () => {
  let workDir: string;
  let interceptorBundle: string;
  let childBundle: string;

  beforeAll(() => {
    // As shipped: both the preload and the handler-like script are esbuild bundles for Node.
    workDir = mkdtempSync(join(tmpdir(), 'jwks-interceptor-'));
    interceptorBundle = join(workDir, 'jwks-interceptor.js');
    childBundle = join(workDir, 'verify-token.js');
    buildSync({ entryPoints: [join(REPO_ROOT, 'local', 'jwks-interceptor.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: interceptorBundle, logLevel: 'silent' });
    buildSync({
      stdin: { contents: CHILD_SOURCE, resolveDir: REPO_ROOT, loader: 'js' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: childBundle,
      logLevel: 'silent',
    });
  });

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  test('answers the Cognito JWKS https request from the local endpoint and lets another https request go out unchanged', async () => {
    // GIVEN the local identity endpoint, counting the requests it receives
    const provider = new LocalIdentityProvider({ region: REGION, userPools: [{ userPoolId: POOL_ID, clientIds: [CLIENT_ID] }] });
    const identityRequests: string[] = [];
    const identityServer = createHttpServer((req, res) => {
      identityRequests.push(`${req.method} ${req.url}`);
      void provider.handleRequest(req, res);
    });
    await new Promise<void>((resolve) => identityServer.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(identityServer.address() as AddressInfo).port}`;

    // AND a plain TCP listener that records the first byte of what reaches it (0x16 opens a TLS handshake)
    const firstBytes: number[] = [];
    const sockets = new Set<Socket>();
    const tcpServer = createTcpServer((socket) => {
      sockets.add(socket);
      socket.once('data', (data) => {
        firstBytes.push(data[0]);
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => tcpServer.listen(0, '127.0.0.1', resolve));
    const tcpPort = (tcpServer.address() as AddressInfo).port;

    provider.createUser({ userPoolId: POOL_ID, username: 'frank', password: 'Passw0rd!' });
    let child: ChildProcess | undefined;
    const cognito = new CognitoIdentityProviderClient({ region: REGION, endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const signIn = await cognito.send(new InitiateAuthCommand({
        ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'frank', PASSWORD: 'Passw0rd!' },
      }));
      identityRequests.length = 0;

      // WHEN a process preloaded with the interceptor verifies the ID token, then requests the same JWKS path on another host
      child = fork(childBundle, [], {
        execArgv: ['--require', interceptorBundle],
        env: {
          PATH: process.env.PATH,
          [LOCAL_COGNITO_ENDPOINT_ENV]: endpoint,
          PROBE_INPUT: JSON.stringify({
            idToken: signIn.AuthenticationResult!.IdToken,
            userPoolId: POOL_ID,
            clientId: CLIENT_ID,
            otherUrl: `https://127.0.0.1:${tcpPort}/${POOL_ID}/.well-known/jwks.json`,
          }),
        },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      const report = await new Promise<Record<string, string>>((resolve, reject) => {
        child!.once('message', (message) => resolve(message as Record<string, string>));
        child!.once('exit', (code) => reject(new Error(`child exited with ${code} before reporting`)));
      });
      await new Promise((resolve) => child!.once('exit', resolve));

      // THEN the token verified with keys fetched from the local endpoint, exactly once
      expect(report.verifyError).toBeUndefined();
      expect(report.sub).toEqual(expect.any(String));
      expect(identityRequests).toEqual([`GET /${POOL_ID}/.well-known/jwks.json`]);
      // AND the other https request reached its own host as TLS, not the local endpoint
      expect(firstBytes).toEqual([0x16]);
      expect(report.other).toMatch(/^error /);
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      cognito.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => tcpServer.close(resolve));
      identityServer.closeAllConnections();
      await new Promise((resolve) => identityServer.close(resolve));
    }
  });

  test('diverts only Cognito JWKS URLs', () => {
    const endpoint = 'http://127.0.0.1:4000/';
    expect(localJwksUrl('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc123/.well-known/jwks.json', endpoint))
      .toBe('http://127.0.0.1:4000/eu-west-1_Abc123/.well-known/jwks.json');
    for (const url of [
      'https://cognito-idp.eu-west-1.amazonaws.com/',
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc123/.well-known/openid-configuration',
      'https://dynamodb.eu-west-1.amazonaws.com/eu-west-1_Abc123/.well-known/jwks.json',
      'http://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc123/.well-known/jwks.json',
      'https://cognito-idp.eu-west-1.amazonaws.com.evil.example/eu-west-1_Abc123/.well-known/jwks.json',
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc123/.well-known/jwks.json?x=1',
    ]) {
      expect(localJwksUrl(url, endpoint)).toBeUndefined();
    }
  });
});
