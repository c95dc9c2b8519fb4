import {
  identitySourceValue, missingIdentitySource, policyAllows, verdictOnFailure, verdictOnResult,
} from '../../local/connect-authorization';

const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:000000000000:abcde12345/prod/$connect';

function request(query: string, headers: Record<string, string> = {}) {
  return { headers, query: new URLSearchParams(query) };
}

function statement(Effect: string, extra: Record<string, unknown> = {}) {
  return { Effect, Action: 'execute-api:Invoke', Resource: METHOD_ARN, ...extra };
}

describe('identity sources of a $connect authorizer', () => {
  test('a query string parameter is found by its exact name', () => {
    expect(identitySourceValue('route.request.querystring.idToken', request('idToken=abc'))).toBe('abc');
    expect(identitySourceValue('route.request.querystring.idToken', request('idtoken=abc'))).toBeUndefined();
  });

  test('a header is found whatever the case the client spelled it in', () => {
    expect(identitySourceValue('route.request.header.Sec-WebSocket-Protocol', request('', { 'sec-websocket-protocol': 'chat, t' })))
      .toBe('chat, t');
    expect(identitySourceValue('route.request.header.Authorization', request('', { 'X-Other': 'x' }))).toBeUndefined();
  });

  test('a stage variable is always missing (the local stage has none) and a context value always present', () => {
    expect(identitySourceValue('stageVariables.token', request('token=x'))).toBeUndefined();
    expect(identitySourceValue('context.requestId', request(''))).toBe('present');
  });

  test('the first missing or empty source is named; none when every source has a value', () => {
    const sources = ['route.request.querystring.idToken', 'route.request.header.X-Client'];
    expect(missingIdentitySource(sources, request('idToken=abc', { 'x-client': 'web' }))).toBeUndefined();
    expect(missingIdentitySource(sources, request('', { 'x-client': 'web' }))).toBe('route.request.querystring.idToken');
    expect(missingIdentitySource(sources, request('idToken=', { 'x-client': 'web' }))).toBe('route.request.querystring.idToken');
    expect(missingIdentitySource(sources, request('idToken=abc', { 'X-Client': '' }))).toBe('route.request.header.X-Client');
    expect(missingIdentitySource(['stageVariables.key'], request('key=1'))).toBe('stageVariables.key');
  });

  test('a header literally named "undefined" is not the value of a header the request lacks', () => {
    expect(identitySourceValue('route.request.header.Authorization', request('', { undefined: 'x' }))).toBeUndefined();
  });

  test('a query parameter or header named __proto__ or constructor is an ordinary name', () => {
    // JSON.parse, since an object literal's __proto__ sets the prototype instead of a key
    const headers = JSON.parse('{"__proto__": "h1", "constructor": "h2"}') as Record<string, string>;
    const sources = ['route.request.querystring.__proto__', 'route.request.querystring.constructor',
      'route.request.header.__proto__', 'route.request.header.constructor'];
    expect(sources.map((source) => identitySourceValue(source, request('__proto__=q1&constructor=q2', headers))))
      .toEqual(['q1', 'q2', 'h1', 'h2']);
    expect(missingIdentitySource(['route.request.header.constructor'], request(''))).toBe('route.request.header.constructor');
  });
});

describe('the policy an authorizer returns', () => {
  test('an Allow on the method ARN allows; no statement, or none that applies, does not', () => {
    expect(policyAllows({ Version: '2012-10-17', Statement: [statement('Allow')] }, METHOD_ARN)).toBe(true);
    expect(policyAllows({ Version: '2012-10-17', Statement: [] }, METHOD_ARN)).toBe(false);
    expect(policyAllows(undefined, METHOD_ARN)).toBe(false);
    expect(policyAllows('Allow', METHOD_ARN)).toBe(false);
  });

  test('a Deny denies, and an explicit Deny wins over an Allow in any order', () => {
    expect(policyAllows({ Statement: [statement('Deny')] }, METHOD_ARN)).toBe(false);
    expect(policyAllows({ Statement: [statement('Allow'), statement('Deny')] }, METHOD_ARN)).toBe(false);
    expect(policyAllows({ Statement: [statement('Deny'), statement('Allow')] }, METHOD_ARN)).toBe(false);
  });

  test('Effect is case-sensitive, as in IAM: an "allow" or a missing Effect allows nothing', () => {
    expect(policyAllows({ Statement: [statement('allow')] }, METHOD_ARN)).toBe(false);
    expect(policyAllows({ Statement: [{ Action: 'execute-api:Invoke', Resource: METHOD_ARN }] }, METHOD_ARN)).toBe(false);
  });

  test('entries that are not statements, actions or resources are ignored, not a crash', () => {
    expect(policyAllows({ Statement: [null, 'Allow', statement('Allow')] }, METHOD_ARN)).toBe(true);
    expect(policyAllows({ Statement: [statement('Allow', { Action: [42, null, 'execute-api:Invoke'] })] }, METHOD_ARN)).toBe(true);
    expect(policyAllows({ Statement: [statement('Allow', { Resource: [{ arn: METHOD_ARN }, METHOD_ARN] })] }, METHOD_ARN)).toBe(true);
  });

  test('Statement may be one object instead of a list', () => {
    expect(policyAllows({ Statement: statement('Allow') }, METHOD_ARN)).toBe(true);
    expect(policyAllows({ Statement: statement('Deny') }, METHOD_ARN)).toBe(false);
  });

  test('Action and Resource may be lists; one matching entry is enough', () => {
    expect(policyAllows({ Statement: [statement('Allow', { Action: ['s3:GetObject', 'execute-api:Invoke'] })] }, METHOD_ARN)).toBe(true);
    expect(policyAllows({ Statement: [statement('Allow', { Resource: ['arn:aws:s3:::bucket', METHOD_ARN] })] }, METHOD_ARN)).toBe(true);
    expect(policyAllows({ Statement: [statement('Allow', { Action: ['s3:GetObject'] })] }, METHOD_ARN)).toBe(false);
  });

  test('* matches any run of characters in Action and Resource; every other character matches only itself', () => {
    expect(policyAllows({ Statement: [statement('Allow', { Action: 'execute-api:*', Resource: '*' })] }, METHOD_ARN)).toBe(true);
    expect(policyAllows({ Statement: [statement('Allow', { Resource: 'arn:aws:execute-api:eu-west-1:000000000000:abcde12345/*' })] },
      METHOD_ARN)).toBe(true);
    expect(policyAllows({ Statement: [statement('Allow', { Resource: 'arn:aws:execute-api:eu-west-1:000000000000:abcde12345/prod/$connect.' })] },
      METHOD_ARN)).toBe(false);
    expect(policyAllows({ Statement: [statement('Allow', { Resource: 'arn:aws:execute-api:eu-west-1:000000000000:abcde12345/prod/.connect' })] },
      METHOD_ARN)).toBe(false);
    // A wildcard Deny denies what a narrower Allow allows.
    expect(policyAllows({ Statement: [statement('Allow'), statement('Deny', { Resource: '*' })] }, METHOD_ARN)).toBe(false);
  });

  test('a statement on other resources, another stage or another API does not allow this one', () => {
    for (const resource of [
      'arn:aws:execute-api:eu-west-1:000000000000:abcde12345/dev/$connect',
      'arn:aws:execute-api:eu-west-1:000000000000:otherapi99/prod/$connect',
      'arn:aws:execute-api:eu-west-1:000000000000:abcde12345/prod/$connect/extra',
    ]) {
      expect(policyAllows({ Statement: [statement('Allow', { Resource: resource })] }, METHOD_ARN)).toBe(false);
    }
    // and a Deny on another resource does not deny this one
    expect(policyAllows({ Statement: [statement('Allow'), statement('Deny', { Resource: 'arn:aws:s3:::bucket' })] }, METHOD_ARN)).toBe(true);
  });
});

describe('the verdict on a $connect', () => {
  test('an allowing result passes its string, number and boolean context values, the principal and the latency', () => {
    const verdict = verdictOnResult({
      principalId: 'user-1',
      policyDocument: { Version: '2012-10-17', Statement: [statement('Allow')] },
      context: { userId: 'user-1', exp: 1700000000, admin: false, nested: { dropped: true }, list: ['dropped'] },
    }, METHOD_ARN);
    expect(verdict).toEqual({
      allowed: true,
      context: { userId: 'user-1', exp: 1700000000, admin: false, principalId: 'user-1', integrationLatency: 0 },
    });
  });

  test('a principalId that is not a string does not reach the routes', () => {
    const verdict = verdictOnResult({ principalId: 42, policyDocument: { Statement: [statement('Allow')] } }, METHOD_ARN);
    expect(verdict).toEqual({ allowed: true, context: { principalId: undefined, integrationLatency: 0 } });
  });

  test('a denying result, or one without a policy, is a 403', () => {
    expect(verdictOnResult({ principalId: 'u', policyDocument: { Statement: [statement('Deny')] } }, METHOD_ARN))
      .toEqual({ allowed: false, statusCode: 403, reason: 'authorizer denied' });
    expect(verdictOnResult(null, METHOD_ARN)).toMatchObject({ allowed: false, statusCode: 403 });
  });

  test('a thrown Unauthorized is a 401; any other failure a 500', () => {
    const unauthorized = { allowed: false, statusCode: 401, reason: 'authorizer: Unauthorized' };
    const failed = { allowed: false, statusCode: 500, reason: 'authorizer failed' };
    expect(verdictOnFailure({ errorType: 'Error', errorMessage: 'Unauthorized' })).toEqual(unauthorized);
    expect(verdictOnFailure({ errorType: 'Error', errorMessage: 'unauthorized' })).toEqual(failed);
    expect(verdictOnFailure(new Error('Unauthorized'))).toEqual(failed);
    expect(verdictOnFailure(undefined)).toEqual(failed);
    expect(verdictOnFailure(null)).toEqual(failed);
    expect(verdictOnFailure('Unauthorized')).toEqual(failed);
  });

  test('a context key named __proto__ or constructor reaches the routes as an ordinary key', () => {
    const context = JSON.parse('{"__proto__": "p", "constructor": "c"}') as Record<string, unknown>;
    const verdict = verdictOnResult({ principalId: 'u', policyDocument: { Statement: [statement('Allow')] }, context }, METHOD_ARN);
    expect(verdict.allowed && Object.entries(verdict.context)).toEqual(
      [['__proto__', 'p'], ['constructor', 'c'], ['principalId', 'u'], ['integrationLatency', 0]]);
  });
});
