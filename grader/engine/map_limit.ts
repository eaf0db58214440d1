/**
 * Maps `f` over `items` with at most `limit` calls in flight; results keep the items' order.
 * The one bounded worker pool of the grader: exercises within a submission, submissions in
 * `grade-all`, fixtures in the tests. A rejection stops handing out new items and rejects.
 * @param limit at least 1 (values below are treated as 1)
 * @example await mapLimit(['a', 'b', 'c'], 2, async (s) => s.toUpperCase()) // ['A', 'B', 'C']
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, f: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isFinite(limit) && limit !== Infinity) throw new Error(`mapLimit: limit must be a number, got ${limit}`);
  const out: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await f(items[i], i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const n = Math.max(1, Math.min(Math.floor(limit), items.length));
  await Promise.all(Array.from({ length: n }, worker));
  return out;
}
