import { TokenSourceKinds, TokenSourceSetting } from '../src/wire-contract';

/**
 * Finds the token in a $connect request, in the one token source the construct configured,
 * and refuses any request where that is ambiguous.
 *
 * Subprotocol convention: the client offers `Sec-WebSocket-Protocol: <app-protocol>, <token>`
 * (order free). The entry that has the shape of a JWT is the token; there must be exactly one.
 * Every other entry is an application protocol; there must be at least one, because the browser
 * drops a connection whose handshake answer does not echo one of the offered protocols, and
 * echoing the token would copy it into a response header. `chooseSubprotocolToEcho` picks the
 * first application protocol, and the connect handler echoes it.
 */

/** The parts of an API Gateway WebSocket REQUEST authorizer event that a token source can be. */
export interface ConnectRequestTokenSources {
  readonly headers?: Record<string, string | undefined> | null;
  readonly multiValueHeaders?: Record<string, string[] | undefined> | null;
  readonly queryStringParameters?: Record<string, string | undefined> | null;
  readonly multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
}

/** Reason codes of ours, logged; never shown to the client (which sees 401/403 only). */
export type TokenExtractionRefusal =
  | 'token-missing'
  | 'token-empty'
  | 'token-too-large'
  | 'token-bearer-prefix'
  | 'token-repeated'
  // A copy of the token outside the configured token source. The code is logged, so it keeps its first name.
  | 'token-in-other-carrier'
  | 'subprotocol-missing';

export type TokenExtraction =
  | { readonly token: string; readonly refusal?: undefined }
  | { readonly token?: undefined; readonly refusal: TokenExtractionRefusal };

/** Cognito tokens are 1-2 KB; a larger value is refused before any parsing. */
export const MAX_TOKEN_BYTES = 8 * 1024;

const SUBPROTOCOL_HEADER = 'sec-websocket-protocol';
const AUTHORIZATION_HEADER = 'authorization';
const BEARER_PREFIX = /^bearer\s+/i;
/** A compact JWS: base64url header (a JSON object, so `eyJ`), payload and signature, dot-separated. */
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;
/** A JWT anywhere inside a value, to catch a second copy of the token in a token source we do not read. */
const JWT_INSIDE = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\./;

/** A request's query string parameters and headers, each read once into one map of every value. */
interface RequestValues {
  readonly query: Record<string, string[]>;
  readonly headers: Record<string, string[]>;
}

export function extractToken(request: ConnectRequestTokenSources, tokenSource: TokenSourceSetting): TokenExtraction {
  const values: RequestValues = {
    query: allQueryValues(request),
    // Only the headers a token source can be: a handshake's other headers are never looked at.
    headers: headerValuesNamed(request, [AUTHORIZATION_HEADER, SUBPROTOCOL_HEADER, tokenSource.name.toLowerCase()]),
  };
  const found = readConfiguredTokenSource(values, tokenSource);
  if (found.refusal) {
    return found;
  }
  if (otherTokenSourceHoldsJwt(values, tokenSource)) {
    return { refusal: 'token-in-other-carrier' };
  }
  return found;
}

function readConfiguredTokenSource(request: RequestValues, tokenSource: TokenSourceSetting): TokenExtraction {
  switch (tokenSource.kind) {
    case TokenSourceKinds.QUERY_STRING: {
      const values = request.query[tokenSource.name] ?? [];
      if (values.length > 1) {
        return { refusal: 'token-repeated' };
      }
      return checkTokenValue(values[0], false);
    }
    case TokenSourceKinds.HEADER: {
      const values = request.headers[tokenSource.name.toLowerCase()] ?? [];
      if (values.length > 1) {
        return { refusal: 'token-repeated' };
      }
      // `Authorization: Bearer <token>` is the one place a Bearer prefix is the norm.
      return checkTokenValue(values[0], tokenSource.name.toLowerCase() === AUTHORIZATION_HEADER);
    }
    case TokenSourceKinds.SUBPROTOCOL: {
      const entries = subprotocolEntriesOf(request.headers);
      const tokens = entries.filter(looksLikeJwt);
      if (tokens.length > 1) {
        return { refusal: 'token-repeated' };
      }
      if (tokens.length === 0) {
        return { refusal: 'token-missing' };
      }
      if (entries.length === tokens.length) {
        return { refusal: 'subprotocol-missing' };
      }
      return checkTokenValue(tokens[0], false);
    }
    default:
      return { refusal: 'token-missing' };
  }
}

function checkTokenValue(value: string | undefined, bearerExpected: boolean): TokenExtraction {
  if (value === undefined) {
    return { refusal: 'token-missing' };
  }
  if (Buffer.byteLength(value, 'utf8') > MAX_TOKEN_BYTES) {
    return { refusal: 'token-too-large' };
  }
  let token = value;
  if (BEARER_PREFIX.test(token)) {
    if (!bearerExpected) {
      return { refusal: 'token-bearer-prefix' };
    }
    token = token.replace(BEARER_PREFIX, '');
  }
  if (token.trim() === '') {
    return { refusal: 'token-empty' };
  }
  return { token };
}

function otherTokenSourceHoldsJwt(request: RequestValues, tokenSource: TokenSourceSetting): boolean {
  const configuredName = tokenSource.name.toLowerCase();
  const elsewhere: string[] = [];
  for (const [name, values] of Object.entries(request.query)) {
    if (!(tokenSource.kind === TokenSourceKinds.QUERY_STRING && name === tokenSource.name)) {
      elsewhere.push(...values);
    }
  }
  const headers = request.headers;
  for (const name of [AUTHORIZATION_HEADER, SUBPROTOCOL_HEADER, configuredName]) {
    const isConfigured = (tokenSource.kind === TokenSourceKinds.HEADER && name === configuredName)
      || (tokenSource.kind === TokenSourceKinds.SUBPROTOCOL && name === SUBPROTOCOL_HEADER);
    if (!isConfigured) {
      elsewhere.push(...(headers[name] ?? []));
    }
  }
  return elsewhere.some((value) => JWT_INSIDE.test(value));
}

function looksLikeJwt(value: string): boolean {
  return JWT_SHAPE.test(value);
}

/**
 * The protocol the connect handler must echo in `Sec-WebSocket-Protocol`: the first offered entry
 * that is not a JWT, or undefined when the request offered none.
 */
export function chooseSubprotocolToEcho(request: ConnectRequestTokenSources): string | undefined {
  return subprotocolEntriesOf(headerValuesNamed(request, [SUBPROTOCOL_HEADER])).find((entry) => !looksLikeJwt(entry));
}

function subprotocolEntriesOf(headers: Record<string, string[]>): string[] {
  return (headers[SUBPROTOCOL_HEADER] ?? [])
    .flatMap((value) => value.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** Query parameter names are case-sensitive; the multi-value map, when present, holds every repeat. */
function allQueryValues(request: ConnectRequestTokenSources): Record<string, string[]> {
  const merged: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(request.multiValueQueryStringParameters ?? {})) {
    merged[name] = [...(values ?? [])];
  }
  for (const [name, value] of Object.entries(request.queryStringParameters ?? {})) {
    if (merged[name] === undefined && value !== undefined) {
      merged[name] = [value];
    }
  }
  return merged;
}

/**
 * The values of the headers `names` (lower case), each under its lower-cased name: header names are case-insensitive,
 * so every spelling's values are kept.
 */
function headerValuesNamed(request: ConnectRequestTokenSources, names: readonly string[]): Record<string, string[]> {
  const multi = valuesNamed(request.multiValueHeaders, names, (values) => values ?? []);
  const single = valuesNamed(request.headers, names, (value) => (value === undefined ? undefined : [value]));
  // The multi-value map, when API Gateway sends it, is the complete view; the single map repeats its last values.
  return Object.assign(single, multi);
}

/** The entries of `map` whose lower-cased name is one of `names`, each name's values gathered in one list. */
function valuesNamed<Value>(
  map: Record<string, Value> | null | undefined, names: readonly string[], valuesOf: (value: Value) => string[] | undefined,
): Record<string, string[]> {
  const found: Record<string, string[]> = Object.create(null);
  for (const name in map ?? {}) {
    const key = name.toLowerCase();
    if (!names.includes(key)) continue;
    const values = valuesOf(map![name]);
    if (values !== undefined) (found[key] ??= []).push(...values);
  }
  return found;
}
