import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { CodeDelivery, CodePurpose, LocalIdentityProvider, LocalIdentityProviderOptions, LocalIdentityServer } from '../../local/identity';

export const REGION = 'eu-west-1';
export const POOL_ID = 'eu-west-1_LocalPool1';
export const CLIENT_ID = 'localclientone';
/** Meets the construct's password policy (Cognito's default): upper, lower, digit, symbol, 8+. */
export const PASSWORD = 'Correct-horse-1';

/** A local identity endpoint started for one test file or test, with every code it sends recorded. */
export interface IdentityFixture {
  readonly provider: LocalIdentityProvider;
  readonly server: LocalIdentityServer;
  readonly endpoint: string;
  readonly codes: CodeDelivery[];
  /** The SDK's Cognito client pointed at the endpoint (admin calls accept any credentials). */
  readonly sdk: CognitoIdentityProviderClient;
  /** The newest code sent to `username` for `purpose`; fails the test if there is none. */
  codeFor(username: string, purpose: CodePurpose): string;
  close(): Promise<void>;
}

/** The construct's default pool: self sign-up, email auto-verified, email alias, Cognito's default policy, codes sent. */
export async function startIdentity(overrides: Partial<LocalIdentityProviderOptions> = {}): Promise<IdentityFixture> {
  const codes: CodeDelivery[] = [];
  const provider = new LocalIdentityProvider({
    region: REGION,
    autoConfirmSignUp: false,
    userPools: [{
      userPoolId: POOL_ID,
      clientIds: [CLIENT_ID],
      autoVerifyEmail: true,
      aliasAttributes: ['email'],
      passwordPolicy: { MinimumLength: 8, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true },
    }],
    ...overrides,
    onCode: (delivery) => {
      codes.push(delivery);
      overrides.onCode?.(delivery);
    },
  });
  const server = await provider.listen();
  const sdk = new CognitoIdentityProviderClient({
    region: REGION, endpoint: server.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    provider,
    server,
    endpoint: server.endpoint,
    codes,
    sdk,
    codeFor: (username, purpose) => {
      const delivery = codes.filter((entry) => entry.purpose === purpose && entry.username === username).pop();
      if (!delivery) throw new Error(`no ${purpose} code was sent to ${username}`);
      return delivery.code;
    },
    close: async () => {
      sdk.destroy();
      await server.close();
    },
  };
}

/** The claims of a JWT, without verifying it (tests verify with aws-jwt-verify where that matters). */
export function jwtClaims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/** aws-jwt-verify's verifier for the fixture's pool and client, trusting the endpoint's JWKS (it would fetch it over https). */
export function tokenVerifier(provider: LocalIdentityProvider, tokenUse: 'id' | 'access') {
  const verifier = CognitoJwtVerifier.create({ userPoolId: POOL_ID, clientId: CLIENT_ID, tokenUse });
  verifier.cacheJwks({ keys: provider.jwks(POOL_ID).keys.map((key) => ({ ...key })) });
  return verifier;
}
