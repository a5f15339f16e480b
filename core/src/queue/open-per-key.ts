/**
 * @module
 * Resources opened on first use, one per key, of which only the most recently used few stay
 * open: the producers for workers' own queues, whose ids change as workers restart.
 */
export interface OpenPerKey<T> {
  /** The resource of `key`, opened now if it is not open (the least recently used may close). */
  get(key: string): T;
  /** Close every open one. */
  close(): Promise<void>;
}

export interface OpenPerKeyOptions<T> {
  open(key: string): T;
  close(value: T): Promise<unknown>;
  /** How many stay open at most. */
  max: number;
}

export function openPerKey<T>(options: OpenPerKeyOptions<T>): OpenPerKey<T> {
  const open = new Map<string, T>();
  const closeQuietly = (value: T): Promise<unknown> => options.close(value).catch(() => undefined);
  return {
    get(key) {
      const known = open.get(key);
      if (known !== undefined) {
        // Most recently used last: Map keeps insertion order.
        open.delete(key);
        open.set(key, known);
        return known;
      }
      const value = options.open(key);
      open.set(key, value);
      if (open.size > options.max) {
        const [oldest] = open;
        if (oldest !== undefined) {
          open.delete(oldest[0]);
          void closeQuietly(oldest[1]);
        }
      }
      return value;
    },
    async close() {
      await Promise.all([...open.values()].map(closeQuietly));
      open.clear();
    },
  };
}
