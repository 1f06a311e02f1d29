/** Runs async sections one at a time, in call order. */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

const byKey = new Map<string, Mutex>();
const byObject = new WeakMap<object, Mutex>();

/** One mutex per key (a file path) or per object (a caller's database handle), process-wide. */
export function mutexFor(key: string | object): Mutex {
  if (typeof key === 'string') {
    let mutex = byKey.get(key);
    if (mutex === undefined) {
      mutex = new Mutex();
      byKey.set(key, mutex);
    }
    return mutex;
  }
  let mutex = byObject.get(key);
  if (mutex === undefined) {
    mutex = new Mutex();
    byObject.set(key, mutex);
  }
  return mutex;
}
