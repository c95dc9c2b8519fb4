/**
 * Whether an upgrade request is a WebSocket handshake `ws` will complete, decided before the gateway runs the
 * authorizer and `$connect`: a handshake `ws` refuses after `$connect` accepted it would leave the connection's row
 * behind with no `$disconnect` to delete it. These are the checks of `ws` 8's `WebSocketServer#handleUpgrade`, with
 * its statuses; API Gateway too refuses a malformed handshake before any integration runs.
 */
import type { IncomingMessage } from 'http';

/** A client nonce: 16 bytes in base64. */
const KEY = /^[+/0-9A-Za-z]{22}==$/;
/** A subprotocol name is an HTTP token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export interface HandshakeProblem {
  readonly statusCode: 400 | 405;
  readonly reason: string;
}

/** What is wrong with the handshake, or undefined when `ws` will complete it. */
export function handshakeProblem(request: IncomingMessage): HandshakeProblem | undefined {
  const { upgrade, 'sec-websocket-key': key, 'sec-websocket-version': version, 'sec-websocket-protocol': protocols } = request.headers;
  if (request.method !== 'GET') return { statusCode: 405, reason: 'Invalid HTTP method' };
  if (upgrade?.toLowerCase() !== 'websocket') return { statusCode: 400, reason: 'Invalid Upgrade header' };
  if (key === undefined || !KEY.test(key)) return { statusCode: 400, reason: 'Missing or invalid Sec-WebSocket-Key header' };
  if (Number(version) !== 13 && Number(version) !== 8) return { statusCode: 400, reason: 'Missing or invalid Sec-WebSocket-Version header' };
  if (protocols !== undefined && !validProtocolList(protocols)) return { statusCode: 400, reason: 'Invalid Sec-WebSocket-Protocol header' };
  return undefined;
}

/** A comma-separated list of distinct tokens, as `ws` parses it. */
function validProtocolList(header: string): boolean {
  const names = header.split(',').map((name) => name.trim());
  return names.every((name) => TOKEN.test(name)) && new Set(names).size === names.length;
}
