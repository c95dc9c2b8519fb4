import { HEXADECIMAL, randomId, stableId } from '../../local/ids';

describe('ids', () => {
  test('randomId gives ids of the asked length and alphabet, never the same twice, across many refills of its pool', () => {
    // GIVEN 20,000 ids of 16 characters (78 refills of a 4 KiB pool) and some longer than the pool
    const ids = Array.from({ length: 20_000 }, () => randomId(16));
    const long = [randomId(5000), randomId(5000)];
    // THEN each has its length and alphabet, and none repeats
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[A-Za-z0-9]{16}$/.test(id))).toBe(true);
    expect(long.map((id) => id.length)).toEqual([5000, 5000]);
    expect(long[0]).not.toBe(long[1]);
    expect(randomId(24, HEXADECIMAL)).toMatch(/^[0-9a-f]{24}$/);
  });

  test('stableId gives the same id for the same seed, another for another seed', () => {
    expect(stableId('pool', 10, HEXADECIMAL)).toBe(stableId('pool', 10, HEXADECIMAL));
    expect(stableId('pool', 10, HEXADECIMAL)).not.toBe(stableId('other pool', 10, HEXADECIMAL));
  });
});
