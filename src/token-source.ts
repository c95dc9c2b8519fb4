import { validateTokenQueryStringName } from './validation';
import { DEFAULT_TOKEN_QUERY_STRING_PARAMETER, TokenSourceKinds } from './wire-contract';

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
    validateTokenQueryStringName(name);
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
