/**
 * What an app client of the template decides for its sign-ins: token lifetimes, allowed auth flows, and whether
 * an unknown user is told apart from a wrong password. Read from `AWS::Cognito::UserPoolClient` properties.
 */

export interface LocalAppClientOptions {
  readonly clientId: string;
  /** @default 3600 (Cognito's) */
  readonly idTokenValiditySeconds?: number;
  /** @default 3600 (Cognito's) */
  readonly accessTokenValiditySeconds?: number;
  /** @default 2592000, 30 days (Cognito's) */
  readonly refreshTokenValiditySeconds?: number;
  /**
   * `ExplicitAuthFlows` (`ALLOW_USER_SRP_AUTH`, `ALLOW_USER_PASSWORD_AUTH`, `ALLOW_REFRESH_TOKEN_AUTH`, ...).
   * @default - every flow the endpoint implements
   */
  readonly explicitAuthFlows?: string[];
  /**
   * `PreventUserExistenceErrors: ENABLED`: an unknown user is answered as a wrong password is. Cognito's default
   * (`LEGACY`) answers UserNotFoundException. @default false
   */
  readonly preventUserExistenceErrors?: boolean;
  /** How long a sign-in challenge (`Session`, `SECRET_BLOCK`) stays answerable. @default 180 (Cognito's) */
  readonly authSessionValiditySeconds?: number;
}

/** An app client with every default filled in. */
export interface AppClientSettings {
  readonly clientId: string;
  readonly idTokenValiditySeconds: number;
  readonly accessTokenValiditySeconds: number;
  readonly refreshTokenValiditySeconds: number;
  readonly explicitAuthFlows?: readonly string[];
  readonly preventUserExistenceErrors: boolean;
  readonly authSessionValiditySeconds: number;
}

const HOUR = 3600;
const DAY = 24 * HOUR;
const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: HOUR, days: DAY };

export function appClientSettings(options: LocalAppClientOptions): AppClientSettings {
  return {
    clientId: options.clientId,
    idTokenValiditySeconds: options.idTokenValiditySeconds ?? HOUR,
    accessTokenValiditySeconds: options.accessTokenValiditySeconds ?? HOUR,
    refreshTokenValiditySeconds: options.refreshTokenValiditySeconds ?? 30 * DAY,
    explicitAuthFlows: options.explicitAuthFlows,
    preventUserExistenceErrors: options.preventUserExistenceErrors ?? false,
    authSessionValiditySeconds: options.authSessionValiditySeconds ?? 180,
  };
}

/** The `TokenValidityUnits` and `*TokenValidity` of an `AWS::Cognito::UserPoolClient`, as CloudFormation spells them. */
export interface CloudFormationAppClientProperties {
  readonly IdTokenValidity?: number | string;
  readonly AccessTokenValidity?: number | string;
  readonly RefreshTokenValidity?: number | string;
  readonly TokenValidityUnits?: { readonly IdToken?: string; readonly AccessToken?: string; readonly RefreshToken?: string };
  readonly ExplicitAuthFlows?: string[];
  readonly PreventUserExistenceErrors?: string;
  readonly AuthSessionValidity?: number | string;
}

/**
 * The client's settings from its template properties. Without `TokenValidityUnits`, Cognito reads ID and access
 * token validity in hours and refresh token validity in days.
 */
export function appClientFromTemplate(clientId: string, properties: CloudFormationAppClientProperties): LocalAppClientOptions {
  const units = properties.TokenValidityUnits ?? {};
  const seconds = (value: number | string | undefined, unit: string | undefined, defaultUnit: string) =>
    value === undefined ? undefined : Number(value) * UNIT_SECONDS[unit ?? defaultUnit];
  return {
    clientId,
    idTokenValiditySeconds: seconds(properties.IdTokenValidity, units.IdToken, 'hours'),
    accessTokenValiditySeconds: seconds(properties.AccessTokenValidity, units.AccessToken, 'hours'),
    refreshTokenValiditySeconds: seconds(properties.RefreshTokenValidity, units.RefreshToken, 'days'),
    // Without ExplicitAuthFlows, Cognito allows SRP, custom auth and refresh.
    explicitAuthFlows: properties.ExplicitAuthFlows ?? ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    preventUserExistenceErrors: properties.PreventUserExistenceErrors === 'ENABLED',
    authSessionValiditySeconds: properties.AuthSessionValidity === undefined ? undefined : Number(properties.AuthSessionValidity) * 60,
  };
}

/**
 * Whether the client allows `authFlow`. A client with only the legacy names (`USER_PASSWORD_AUTH`) allows the
 * same flows as the `ALLOW_` ones; refresh is always allowed, as in Cognito.
 */
export function allowsAuthFlow(client: AppClientSettings, authFlow: string): boolean {
  if (!client.explicitAuthFlows || authFlow === 'REFRESH_TOKEN_AUTH' || authFlow === 'REFRESH_TOKEN') return true;
  return client.explicitAuthFlows.includes(`ALLOW_${authFlow}`) || client.explicitAuthFlows.includes(authFlow);
}
