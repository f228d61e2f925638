import { describe, expect, it } from 'vitest';
import { SearchSlots } from '../../core/search/searchSlots';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('SearchSlots', () => {
  it('runs at most `size` searches at once, the rest in the order they came', async () => {
    const slots = new SearchSlots(2, () => false);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        slots.run(async () => {
          running++;
          most = Math.max(most, running);
          order.push(i);
          await tick();
          running--;
          return i;
        }),
      ),
    );
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('while indexing runs, holds a slot after a search so the next one waits (indexing gets the thread)', async () => {
    let indexing = true;
    const slots = new SearchSlots(1, () => indexing);
    const events: string[] = [];
    const first = slots.run(async () => {
      events.push('first');
      await tick();
    });
    const second = slots.run(async () => {
      events.push('second');
    });
    await first;
    // The first has answered, but its slot is still held: the second has not started.
    expect(events).toEqual(['first']);
    await second;
    expect(events).toEqual(['first', 'second']);
    // A failed search frees its slot too; without indexing, at once.
    indexing = false;
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await slots.run(async () => 'next')).toBe('next');
  });
});
