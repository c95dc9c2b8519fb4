import { encodeMessage, MAX_MESSAGE_BYTES, MessageTooLargeError } from '../../runtime/message-payload';

describe('encodeMessage', () => {
  test('a string is sent as its UTF-8 text, not JSON-quoted', () => {
    expect(Buffer.from(encodeMessage('héllo "you"')).toString('utf8')).toBe('héllo "you"');
  });

  test('bytes are sent as they are', () => {
    const bytes = Buffer.from([0x7b, 0x7d]);
    expect(encodeMessage(bytes)).toBe(bytes);
  });

  test.each([
    [{ text: 'hi', n: 1 }, '{"text":"hi","n":1}'],
    [[1, 'two'], '[1,"two"]'],
    [42, '42'],
    [false, 'false'],
    [null, 'null'],
  ])('any other JSON value is sent as its JSON text: %j', (value, text) => {
    expect(Buffer.from(encodeMessage(value)).toString('utf8')).toBe(text);
  });

  test('a message of exactly 128 KB is accepted, one byte more is refused with the size, the limit and what to do', () => {
    expect(encodeMessage('x'.repeat(MAX_MESSAGE_BYTES)).byteLength).toBe(131_072);
    expect(() => encodeMessage('x'.repeat(MAX_MESSAGE_BYTES + 1))).toThrow(MessageTooLargeError);
    expect(() => encodeMessage('x'.repeat(MAX_MESSAGE_BYTES + 1)))
      .toThrow('the message is 131073 bytes; API Gateway accepts at most 131072 bytes (128 KB) per message: send less, split it');
  });

  test('the limit counts bytes, not characters', () => {
    // 'é' is two bytes in UTF-8
    expect(() => encodeMessage('é'.repeat(MAX_MESSAGE_BYTES / 2))).not.toThrow();
    expect(() => encodeMessage('é'.repeat(MAX_MESSAGE_BYTES / 2 + 1))).toThrow(MessageTooLargeError);
  });

  test('undefined, a function or a symbol has nothing to send: a TypeError that says what is accepted', () => {
    for (const value of [undefined, () => 1, Symbol('s')]) {
      expect(() => encodeMessage(value as any)).toThrow(/a message must be a string, bytes or a JSON value/);
    }
  });
});
