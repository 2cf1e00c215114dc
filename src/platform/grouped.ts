/**
 * Calls that come in while a group of them is being worked on wait, and go together in the next
 * group (up to `maxSize`), as a database's group commit does: a call that finds nothing running
 * runs at once, alone, and under load one round of work serves many callers. One group runs at a
 * time. `run` answers each item of its group, in the order given; a `run` that throws fails the
 * whole group with its error.
 */
export function grouped<I, O>(run: (items: I[]) => Promise<PromiseSettledResult<O>[]>, options: { maxSize: number }): (item: I) => Promise<O> {
  const waiting: { item: I; resolve: (value: O) => void; reject: (reason: unknown) => void }[] = [];
  let running = false;
  const drain = async () => {
    running = true;
    while (waiting.length > 0) {
      const group = waiting.splice(0, options.maxSize);
      try {
        const answers = await run(group.map((g) => g.item));
        group.forEach((g, i) => {
          const answer = answers[i];
          if (answer?.status === 'fulfilled') g.resolve(answer.value);
          else g.reject(answer ? answer.reason : new Error('grouped(): run() gave no answer for this item'));
        });
      } catch (error) {
        for (const g of group) g.reject(error);
      }
    }
    running = false;
  };
  return (item) => new Promise<O>((resolve, reject) => {
    waiting.push({ item, resolve, reject });
    if (!running) void drain();
  });
}

/** A promise's outcome as one of a group's answers. */
const settledOf = <T>(work: Promise<T>): Promise<PromiseSettledResult<T>> =>
  work.then((value) => ({ status: 'fulfilled', value }), (reason: unknown) => ({ status: 'rejected', reason }));

/** The items that come first for their key: the rest of the same key wait for a group after. */
export const firstOfEach = <I>(items: readonly I[], key: (item: I) => string): Set<I> => {
  const seen = new Map<string, I>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return new Set(seen.values());
};

/** A group's answers by position; none where that item is to run on its own. */
export type GroupAnswers<O> = (PromiseSettledResult<O> | undefined)[];

/**
 * grouped() with a one-item path that knows every case: a lone call goes to `alone` at once; a
 * group goes to `together`, and each item it leaves unanswered goes to `alone` after it, as does
 * every item of a group `together` fails (`onFailure` is told why).
 */
export function groupedOrAlone<I, O>(
  together: (items: I[]) => Promise<GroupAnswers<O>>,
  alone: (item: I) => Promise<O>,
  options: { maxSize: number; onFailure?: (error: unknown, items: number) => void },
): (item: I) => Promise<O> {
  return grouped(async (items: I[]) => {
    let answers: GroupAnswers<O> = [];
    if (items.length > 1) {
      answers = await together(items).catch((error: unknown) => {
        options.onFailure?.(error, items.length);
        return [];
      });
    }
    return Promise.all(items.map((item, i) => answers[i] ?? settledOf(alone(item))));
  }, options);
}

/**
 * groupedOrAlone() for one statement that has a set-based form: a group goes to `many` (its
 * answers in the order given); when that fails, each item goes to `one`, which reports its own
 * failure.
 */
export function batched<I, O>(one: (item: I) => Promise<O>, many: (items: I[]) => Promise<O[]>, options: { maxSize: number }): (item: I) => Promise<O> {
  const together = async (items: I[]) => (await many(items)).map((value) => ({ status: 'fulfilled' as const, value }));
  return groupedOrAlone(together, one, options);
}

/**
 * What `make` builds for an owner, built once per owner (an app instance's deps or database):
 * each instance keeps its own queues, and a closed one takes them with it.
 */
export function onePer<K extends object, V>(make: (owner: K) => V): (owner: K) => V {
  const made = new WeakMap<K, V>();
  return (owner) => {
    if (!made.has(owner)) made.set(owner, make(owner));
    return made.get(owner) as V;
  };
}
