import { DEFAULT_TOKEN_QUERY_STRING_PARAMETER, TokenSourceKinds } from './wire-contract';

/** Characters API Gateway accepts in a query string identity source, and that need no URL encoding. */
const QUERY_STRING_NAME = /^[A-Za-z0-9_.~-]{1,128}$/;

/**
 * Where the client puts its token when it opens the WebSocket.
 *
 * An enum-like class: more places (a header, the `Sec-WebSocket-Protocol` subprotocol)
 * are added as static factories without breaking callers.
 */
export class TokenSource {
  /**
   * The token travels in a query string parameter: `wss://…/prod?idToken=<token>`.
   *
   * Browsers cannot set headers on a WebSocket, so this is what the AWS sample's web client does.
   * The access log format of the construct never contains the query string.
   *
   * @param name the query string parameter
   * @default 'idToken'
   */
  public static queryString(name: string = DEFAULT_TOKEN_QUERY_STRING_PARAMETER): TokenSource {
    if (!QUERY_STRING_NAME.test(name)) {
      throw new Error(
        `tokenSource: TokenSource.queryString('${name}') is not a usable query string parameter name; ` +
        'use 1 to 128 of the characters A-Z a-z 0-9 _ . ~ -, e.g. TokenSource.queryString(\'idToken\')',
      );
    }
    return new TokenSource(TokenSourceKinds.QUERY_STRING, name);
  }

  /**
   * @param kind where the token travels, one of `querystring`, `header`, `subprotocol` (the authorizer reads it)
   * @param name the query string parameter or header that carries the token
   */
  private constructor(public readonly kind: string, public readonly name: string) {}

  /**
   * The API Gateway identity source of the `$connect` authorizer: API Gateway refuses a connection
   * without it (401) before the authorizer runs.
   */
  public get identitySource(): string {
    return `route.request.${this.kind === TokenSourceKinds.QUERY_STRING ? 'querystring' : 'header'}.${this.name}`;
  }
}
