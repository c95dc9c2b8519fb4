/**
 * What a send carries: a string (sent as UTF-8 text), bytes, or any other JSON value (sent as its JSON text), checked
 * against API Gateway's message limit once, before any request, so an oversized message never costs a call.
 */

/** API Gateway's limit on one message posted to a connection: 128 KB. */
export const MAX_MESSAGE_BYTES = 128 * 1024;

/**
 * What `sendToUser` and its siblings accept: a string is sent as it is (not JSON-quoted), a `Uint8Array` (a `Buffer`)
 * as its bytes, and anything else (an object, an array, a number, a boolean, null) as its `JSON.stringify` text.
 * `object` rather than a recursive JSON type, so that an `interface` of the application's is accepted as it is.
 * Clients receive every message as a text frame.
 */
export type MessageData = string | Uint8Array | number | boolean | null | object;

/** Thrown before any request when a message is larger than API Gateway accepts. */
export class MessageTooLargeError extends RangeError {
  override readonly name = 'MessageTooLargeError';

  constructor(readonly byteLength: number) {
    super(
      `the message is ${byteLength} bytes; API Gateway accepts at most ${MAX_MESSAGE_BYTES} bytes (128 KB) per message: ` +
      'send less, split it, or send a link to the data (for example a presigned S3 URL)',
    );
  }
}

/** The bytes to post, encoded once for every connection of a fan-out. */
export function encodeMessage(data: MessageData): Uint8Array {
  const bytes = toBytes(data);
  if (bytes.byteLength > MAX_MESSAGE_BYTES) throw new MessageTooLargeError(bytes.byteLength);
  return bytes;
}

function toBytes(data: MessageData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return data;
  const json: unknown = JSON.stringify(data);
  if (typeof json !== 'string') {
    // JSON.stringify gives undefined for undefined, functions and symbols: there is nothing to send.
    throw new TypeError(`a message must be a string, bytes or a JSON value; got ${typeof data}`);
  }
  return Buffer.from(json, 'utf8');
}
