// Reads one item ahead of its consumer: while the sync applies a page of Salesforce changes (database
// work), the next page is already being fetched, so the run waits on the slower of the two instead of
// their sum. Order is kept, at most one read is in flight, and an early stop waits for that read and
// closes the source, so no request outlives the run that counts it.

export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | null = iterator.next();
  try {
    for (;;) {
      const result: IteratorResult<T> = await pending;
      pending = null;
      if (result.done) return;
      pending = iterator.next();
      // Its failure is raised when the consumer asks for the item; until then it must not count as unhandled.
      pending.catch(() => undefined);
      yield result.value;
    }
  } finally {
    if (pending) {
      await pending.catch(() => undefined);
      await iterator.return?.();
    }
  }
}
