/**
 * A Cognito user pool on 127.0.0.1 for the benchmark: the local runtime's identity endpoint issues real RS256 ID
 * tokens with Cognito's claims and serves the pool's JWKS at Cognito's path, and every JWKS download is counted.
 * A process started with the JWKS preload (assets/local/jwks-interceptor.js) and `jwksEnvironment` has its https
 * request for `https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json` answered here.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { signInWithPassword } from './cognito-sign-in';
import { LocalIdentityProvider } from '../local/identity';
import { LOCAL_COGNITO_ENDPOINT_ENV } from '../local/jwks-interceptor';

export const BENCH_REGION = 'us-east-1';
export const BENCH_USER_POOL_ID = `${BENCH_REGION}_BenchPool1`;
export const BENCH_CLIENT_ID = 'benchclient0000000000000a';
const USERNAME = 'bench-user';
const PASSWORD = 'Bench-passw0rd!';

export class CognitoStandIn {
  static async start(): Promise<CognitoStandIn> {
    const standIn = new CognitoStandIn();
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    standIn.idToken = await standIn.signIn();
    return standIn;
  }

  /** A valid ID token of the pool's user, signed in with USER_PASSWORD_AUTH. */
  idToken = '';
  /** The issuer's public keys as the JWKS serves them. */
  readonly jwks: { keys: unknown[] };
  private jwksDownloads = 0;
  private readonly provider: LocalIdentityProvider;
  private readonly server: Server;

  private constructor() {
    this.provider = new LocalIdentityProvider({
      region: BENCH_REGION,
      userPools: [{ userPoolId: BENCH_USER_POOL_ID, clientIds: [BENCH_CLIENT_ID] }],
    });
    this.provider.createUser({ userPoolId: BENCH_USER_POOL_ID, username: USERNAME, password: PASSWORD });
    this.jwks = this.provider.jwks(BENCH_USER_POOL_ID);
    this.server = createServer((request, response) => {
      if (request.method === 'GET' && request.url?.endsWith('/.well-known/jwks.json')) this.jwksDownloads++;
      void this.provider.handleRequest(request, response);
    });
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get issuer(): string {
    return this.provider.issuer(BENCH_USER_POOL_ID);
  }

  /** JWKS downloads since the last reset. */
  get downloads(): number {
    return this.jwksDownloads;
  }

  resetDownloads(): void {
    this.jwksDownloads = 0;
  }

  /** What a process with the JWKS preload needs for its Cognito JWKS request to reach this stand-in. */
  get jwksEnvironment(): Record<string, string> {
    return { [LOCAL_COGNITO_ENDPOINT_ENV]: this.endpoint };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private signIn(): Promise<string> {
    return signInWithPassword(this.endpoint, BENCH_CLIENT_ID, USERNAME, PASSWORD);
  }
}
