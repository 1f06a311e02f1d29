/**
 * Cuts `items` into consecutive chunks of at most `maxCount` items whose `cost` adds up to at
 * most `maxCost` (an item over it alone makes a chunk of one): how backends fit batches under
 * a request or payload limit.
 */
export function chunksWithin<T>(items: readonly T[], cost: (item: T) => number, maxCost: number, maxCount = Number.POSITIVE_INFINITY): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let total = 0;
  for (const item of items) {
    const size = cost(item);
    if (chunk.length > 0 && (chunk.length >= maxCount || total + size > maxCost)) {
      chunks.push(chunk);
      chunk = [];
      total = 0;
    }
    chunk.push(item);
    total += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
