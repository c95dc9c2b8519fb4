import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ALLOWED_ORIGIN, synthesizeFunctionUrlTestApp } from './fixtures/function-url-app';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';

describe('the local runtime serves an app\'s Lambda function URLs', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'function-url-test-'));
  const logged: Array<Record<string, unknown>> = [];
  let runtime: LocalRuntime;
  let reporterUrl: string;

  beforeAll(async () => {
    synthesizeFunctionUrlTestApp(assembly);
    runtime = await startLocalRuntime({ cloudAssembly: assembly, onHandlerLog: () => undefined, log: (entry) => logged.push(entry) });
    reporterUrl = runtime.functionUrls.find((functionUrl) => functionUrl.logicalId.startsWith('ReporterFunctionUrl'))!.url;
  });

  afterAll(async () => {
    await runtime?.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  test('a request invokes the function with the payload 2.0 event, and its result is the response', async () => {
    // WHEN a client posts to the URL with a query string, a header and a cookie
    const response = await fetch(`${reporterUrl}some/path?a=1&a=2&b=x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test': 'hello', 'cookie': 'session=abc; theme=dark' },
      body: JSON.stringify({ to: 'bob' }),
    });
    // THEN the function saw the request as Lambda presents it, with the runtime API's environment pointed here, and
    // found the AWS SDK as in Lambda (its inline code lives in a temporary directory, far from any node_modules)
    expect(response.status).toBe(201);
    expect(response.headers.get('x-answer')).toBe('yes');
    expect(response.headers.get('set-cookie')).toBe('seen=1');
    expect(await response.json()).toEqual({
      version: '2.0',
      method: 'POST',
      rawPath: '/some/path',
      rawQueryString: 'a=1&a=2&b=x',
      query: { a: '1,2', b: 'x' },
      header: 'hello',
      cookies: ['session=abc', 'theme=dark'],
      body: '{"to":"bob"}',
      isBase64Encoded: false,
      callbackUrl: runtime.callbackUrl,
      sdk: 'function',
    });
  });

  test('a binary body arrives base64-encoded', async () => {
    const response = await fetch(reporterUrl, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2]) });
    expect(await response.json()).toMatchObject({ body: 'AAEC', isBase64Encoded: true });
  });

  test('CORS is answered from the URL\'s setting: a preflight from an allowed origin, nothing for another', async () => {
    const preflight = (origin: string) => fetch(reporterUrl, {
      method: 'OPTIONS', headers: { 'origin': origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('content-type,x-test');
    const refused = await preflight('http://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const post = await fetch(reporterUrl, { method: 'POST', headers: { origin: ALLOWED_ORIGIN }, body: 'x' });
    expect(post.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  });

  test('a function that throws is a 502, as Lambda answers', async () => {
    const thrower = runtime.functionUrls.find((functionUrl) => functionUrl.logicalId.startsWith('ThrowerFunctionUrl'))!;
    const response = await fetch(thrower.url);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ Message: 'Internal Server Error' });
  });

  test('a URL with IAM authorization is not served open: it is left out, with a warning that says why', () => {
    expect(runtime.functionUrls.map((functionUrl) => functionUrl.logicalId.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['ReporterFunctionUrl', 'ThrowerFunctionUrl']);
    expect(logged).toContainEqual({
      level: 'warn', message: expect.stringMatching(/^function URL FunctionUrlTestStack\/PrivateFunctionUrl[0-9A-F]+ is not served locally: AuthType AWS_IAM/),
    });
  });

  test('the stacks\' outputs are in config.json with the local URLs, as a web page reads a deployed stack\'s', async () => {
    const config = await (await fetch(new URL('config.json', runtime.webUrl))).json() as { outputs: unknown };
    expect(config.outputs).toEqual({ FunctionUrlTestStack: { reporterUrl } });
  });
});
