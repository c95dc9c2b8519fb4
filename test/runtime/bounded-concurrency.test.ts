import { forEachConcurrently, splitConcurrency } from '../../runtime/bounded-concurrency';

describe('forEachConcurrently', () => {
  test('handles every item once, never more than the bound at a time', async () => {
    const handled: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    await forEachConcurrently(Array.from({ length: 100 }, (_, i) => i), 7, async (item) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, item % 3));
      handled.push(item);
      inFlight -= 1;
    });
    expect(handled.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(maxInFlight).toBe(7);
  });

  test('consumes an async source as it yields, and rejects with its error once the steps in flight finish', async () => {
    async function* pages() {
      yield 'a';
      yield 'b';
      throw new Error('page 2 failed');
    }
    const handled: string[] = [];
    await expect(forEachConcurrently(pages(), 3, async (item) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      handled.push(item);
    })).rejects.toThrow('page 2 failed');
    expect(handled.sort()).toEqual(['a', 'b']);
  });
});

describe('splitConcurrency', () => {
  test('splits as evenly as possible, never more groups than workers', () => {
    expect(splitConcurrency(50, 4)).toEqual([13, 13, 12, 12]);
    expect(splitConcurrency(3, 8)).toEqual([1, 1, 1]);
    expect(splitConcurrency(8, 1)).toEqual([8]);
  });
});
