import { chooseSubprotocolToEcho, ConnectRequestTokenSources, extractToken, TokenExtraction } from '../../lambda/token-source';
import { TokenSourceKind, TokenSourceSetting } from '../../src/wire-contract';

// The token source on its own, without a verifier: which value of a $connect request is the token, and which
// requests are refused before any verification. Values only need a JWT's shape here, not a valid signature.
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl';
const OTHER_JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvdGhlciJ9.b3RoZXI';

const QUERY: TokenSourceSetting = { kind: 'querystring', name: 'idToken' };
const AUTHORIZATION: TokenSourceSetting = { kind: 'header', name: 'Authorization' };
const NAMED_HEADER: TokenSourceSetting = { kind: 'header', name: 'X-Id-Token' };
const SUBPROTOCOL: TokenSourceSetting = { kind: 'subprotocol', name: 'idToken' };

type Case = [name: string, tokenSource: TokenSourceSetting, request: ConnectRequestTokenSources, expected: TokenExtraction];

describe('extractToken', () => {
  const cases: Case[] = [
    // API Gateway sends both the single- and the multi-value maps; a caller that sends only the single map is read too.
    ['the single-value query map alone', QUERY, { queryStringParameters: { idToken: JWT } }, { token: JWT }],
    ['the single-value header map alone', AUTHORIZATION, { headers: { Authorization: `Bearer ${JWT}` } }, { token: JWT }],
    ['a header spelled in capitals, single-value map alone', NAMED_HEADER, { headers: { 'X-ID-TOKEN': JWT } }, { token: JWT }],
    ['the same header under two spellings, single-value map alone', NAMED_HEADER,
      { headers: { 'x-id-token': JWT, 'X-Id-Token': JWT } }, { refusal: 'token-repeated' }],
    // API Gateway's single-value map holds a repeated header's last value only: the multi-value map says it was repeated.
    ['a header sent twice, as API Gateway passes it (both maps)', NAMED_HEADER,
      { headers: { 'X-Id-Token': JWT }, multiValueHeaders: { 'X-Id-Token': [OTHER_JWT, JWT] } }, { refusal: 'token-repeated' }],
    ['a parameter whose single value is undefined', QUERY, { queryStringParameters: { idToken: undefined } }, { refusal: 'token-missing' }],
    ['a parameter whose values are undefined', QUERY, { multiValueQueryStringParameters: { idToken: undefined } }, { refusal: 'token-missing' }],
    ['a header whose values are undefined', AUTHORIZATION, { multiValueHeaders: { Authorization: undefined } }, { refusal: 'token-missing' }],
    ['a configured header that is absent', NAMED_HEADER, { headers: { 'X-Other': 'x' } }, { refusal: 'token-missing' }],
    ['one spelling of the header without a value beside one with the token', NAMED_HEADER,
      { headers: { 'X-Id-Token': undefined, 'x-id-token': JWT } }, { token: JWT }],
    // A setting of a newer construct that this handler does not know reads no token, rather than any token.
    ['a token source kind this version does not know', { kind: 'cookie' as TokenSourceKind, name: 'idToken' },
      { headers: { Cookie: 'idToken=x' } }, { refusal: 'token-missing' }],
    // A Bearer prefix: case-insensitive, any run of whitespace after it, and only at the start of the value.
    ['Bearer followed by several spaces', AUTHORIZATION, { headers: { authorization: `bearer   ${JWT}` } }, { token: JWT }],
    ['"bearer " inside a query value, not at its start', QUERY, { queryStringParameters: { idToken: 'not-bearer x' } },
      { token: 'not-bearer x' }],
    // The configured source's own refusal wins over a copy of the token elsewhere: it says what is wrong first.
    ['a repeated parameter and a token in a header', QUERY,
      { multiValueQueryStringParameters: { idToken: [JWT, JWT] }, headers: { authorization: `Bearer ${JWT}` } },
      { refusal: 'token-repeated' }],
    ['a token in the subprotocol and in Authorization', SUBPROTOCOL,
      { headers: { 'Sec-WebSocket-Protocol': `chat, ${JWT}`, 'Authorization': `Bearer ${OTHER_JWT}` } },
      { refusal: 'token-in-other-carrier' }],
    // Subprotocol entries: empty entries are no application protocol, and a JWT shape must be the whole entry.
    ['a token and an empty entry, but no application protocol', SUBPROTOCOL,
      { headers: { 'Sec-WebSocket-Protocol': `${JWT}, ,` } }, { refusal: 'subprotocol-missing' }],
    ['an application protocol that ends like a JWT', SUBPROTOCOL,
      { headers: { 'Sec-WebSocket-Protocol': `chat-eyJa.b.c, ${JWT}` } }, { token: JWT }],
    ['an application protocol that starts like a JWT', SUBPROTOCOL,
      { headers: { 'Sec-WebSocket-Protocol': `eyJa.b.c.v2, ${JWT}` } }, { token: JWT }],
    ['no Sec-WebSocket-Protocol header', SUBPROTOCOL, { headers: {} }, { refusal: 'token-missing' }],
    ['only empty subprotocol entries', SUBPROTOCOL, { headers: { 'Sec-WebSocket-Protocol': ' , ' } }, { refusal: 'token-missing' }],
  ];
  test.each(cases)('%s', (_name, tokenSource, request, expected) => {
    // GIVEN a $connect request, WHEN the configured token source is read, THEN the token or the refusal is exact
    expect(extractToken(request, tokenSource)).toEqual(expected);
  });
});

describe('chooseSubprotocolToEcho', () => {
  test.each<[string, ConnectRequestTokenSources, string | undefined]>([
    ['the first application protocol, not the token', { headers: { 'Sec-WebSocket-Protocol': `${JWT}, chat.v1, json` } }, 'chat.v1'],
    ['nothing when the request offered no protocol', { headers: {} }, undefined],
    ['nothing when the only entries are the token and empty ones', { headers: { 'Sec-WebSocket-Protocol': `, ${JWT},` } }, undefined],
  ])('echoes %s', (_name, request, expected) => {
    expect(chooseSubprotocolToEcho(request)).toBe(expected);
  });
});
