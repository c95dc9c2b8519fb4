import { ConcurrencyGate } from '../../local/concurrency-gate';

describe('ConcurrencyGate', () => {
  test('runs at most its limit at once, starts the others in arrival order, and a failed task frees its place', async () => {
    // GIVEN a gate of 2 and 5 tasks, the first of which fails
    const gate = new ConcurrencyGate(2);
    const started: number[] = [];
    const finish = new Map<number, () => void>();
    const task = (id: number) => () => new Promise<number>((resolve, reject) => {
      started.push(id);
      finish.set(id, () => (id === 1 ? reject(new Error('task 1 failed')) : resolve(id)));
    });
    const results = [1, 2, 3, 4, 5].map((id) => gate.run(task(id)).catch((error: Error) => error.message));
    await new Promise((resolve) => setImmediate(resolve));
    // THEN only the first two started
    expect(started).toEqual([1, 2]);
    expect(gate.size).toBe(5);
    // WHEN the first fails
    finish.get(1)!();
    await results[0];
    await new Promise((resolve) => setImmediate(resolve));
    // THEN the third starts in its place
    expect(started).toEqual([1, 2, 3]);
    // AND once the others end, every task ran, in order, each settling as its task did
    for (const id of [2, 3, 4]) {
      finish.get(id)!();
      await results[id - 1];
      await new Promise((resolve) => setImmediate(resolve));
    }
    finish.get(5)!();
    expect(await Promise.all(results)).toEqual(['task 1 failed', 2, 3, 4, 5]);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(gate.size).toBe(0);
  });

  test('refuses a limit below 1', () => {
    expect(() => new ConcurrencyGate(0)).toThrow('a concurrency gate needs a limit of 1 or more, not 0');
  });
});
