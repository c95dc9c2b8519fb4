import { validateTokenHeaderName, validateTokenQueryStringName } from './validation';
import {
  DEFAULT_TOKEN_HEADER, DEFAULT_TOKEN_QUERY_STRING_PARAMETER, SUBPROTOCOL_HEADER, TokenSourceKinds,
} from './wire-contract';

/**
 * Where the client puts its token when it opens the WebSocket.
 *
 * An enum-like class: each place is a static factory. API Gateway refuses a connection whose
 * request lacks the token there (401) before the authorizer runs; the authorizer then refuses
 * (403) a token found anywhere else as well, so a token is only ever read from one place.
 */
export class TokenSource {
  /**
   * The token travels in a query string parameter: `wss://…/prod?idToken=<token>`.
   *
   * The AWS sample's web client does this, and any client can, but a URL is written to browser
   * history, proxy logs and error reports: prefer `subprotocol()` for browsers and `header()` for
   * other clients. The construct's access log format never contains the query string.
   *
   * @param name the query string parameter
   * @default 'idToken'
   */
  public static queryString(name: string = DEFAULT_TOKEN_QUERY_STRING_PARAMETER): TokenSource {
    validateTokenQueryStringName(name);
    return new TokenSource(TokenSourceKinds.QUERY_STRING, name);
  }

  /**
   * The token travels in a request header: `Authorization: Bearer <token>` by default (the
   * `Bearer ` prefix is accepted in `Authorization` only), or the bare token in a header you name.
   *
   * For clients that can set headers on the WebSocket handshake: Node.js (`ws`), Python
   * (`websockets`), mobile and desktop apps. Browsers cannot: use `subprotocol()` there.
   *
   * @param name the header; matched without regard to case
   * @default 'Authorization'
   */
  public static header(name: string = DEFAULT_TOKEN_HEADER): TokenSource {
    validateTokenHeaderName(name);
    return new TokenSource(TokenSourceKinds.HEADER, name);
  }

  /**
   * The token travels in the `Sec-WebSocket-Protocol` header, the one header a browser's
   * `WebSocket` can set: the client offers two protocols, its application protocol and the token,
   * `new WebSocket(url, ['chat', token])`. The `$connect` handler answers with the application
   * protocol (never the token), as browsers require; a request that offers only a token is refused.
   *
   * Keeps the token out of URLs, and so out of browser history and the logs of proxies.
   */
  public static subprotocol(): TokenSource {
    return new TokenSource(TokenSourceKinds.SUBPROTOCOL, SUBPROTOCOL_HEADER);
  }

  /**
   * @param kind where the token travels, one of `querystring`, `header`, `subprotocol` (the authorizer reads it)
   * @param name the query string parameter or header that carries the token (`Sec-WebSocket-Protocol` for `subprotocol`)
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
