import { Writable } from 'stream';
import { BatchedLineWriter } from '../../local/batched-line-writer';

function collectingStream(chunks: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
}

describe('BatchedLineWriter', () => {
  test('writes the lines of one turn of the event loop in one write, in order, each ending in a newline', async () => {
    // GIVEN a writer over a stream that records each write
    const chunks: string[] = [];
    const writer = new BatchedLineWriter(collectingStream(chunks));
    // WHEN three lines arrive in one turn, then one in the next
    writer.write('first');
    writer.write('second');
    writer.write('third');
    expect(chunks).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    writer.write('fourth');
    await new Promise((resolve) => setImmediate(resolve));
    // THEN the stream got two writes
    expect(chunks).toEqual(['first\nsecond\nthird\n', 'fourth\n']);
  });

  test('flush() writes what is queued at once, and nothing twice', async () => {
    const chunks: string[] = [];
    const writer = new BatchedLineWriter(collectingStream(chunks));
    writer.write('last words');
    writer.flush();
    expect(chunks).toEqual(['last words\n']);
    await new Promise((resolve) => setImmediate(resolve));
    writer.flush();
    expect(chunks).toEqual(['last words\n']);
  });
});
