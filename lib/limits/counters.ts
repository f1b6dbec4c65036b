/**
 * Usage counters in fixed time windows (a minute, a UTC day): the one interface the limits count through,
 * kept in process memory or in Redis (`TUTOR_REDIS_URL`) so several app replicas share them.
 */
export interface CounterStore {
  /** Adds `amount` to `key` in the window holding `now`; resolves to the window's new total. */
  add(key: string, amount: number, windowMs: number, now: number): Promise<number>;
  /** The window's current total (0 when nothing was counted). */
  get(key: string, windowMs: number, now: number): Promise<number>;
  close(): Promise<void>;
}

/** The name of a window's counter: windows are aligned to the epoch, so a day window is a UTC day. */
export function windowKey(key: string, windowMs: number, now: number): string {
  return `${key}:${windowMs}:${Math.floor(now / windowMs)}`;
}

/** When the window holding `now` ends (ms since the epoch). */
export function windowEnd(windowMs: number, now: number): number {
  return (Math.floor(now / windowMs) + 1) * windowMs;
}

interface Entry {
  count: number;
  expiresAt: number;
}

/** Counters in this process's memory; bounded (expired windows are swept, then the oldest keys dropped). */
export class MemoryCounterStore implements CounterStore {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly maxKeys = 100_000) {}

  async add(key: string, amount: number, windowMs: number, now: number): Promise<number> {
    const k = windowKey(key, windowMs, now);
    let e = this.entries.get(k);
    if (!e) {
      if (this.entries.size >= this.maxKeys) this.sweep(now);
      e = { count: 0, expiresAt: windowEnd(windowMs, now) };
      this.entries.set(k, e);
    }
    e.count += amount;
    return e.count;
  }

  async get(key: string, windowMs: number, now: number): Promise<number> {
    return this.entries.get(windowKey(key, windowMs, now))?.count ?? 0;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private sweep(now: number) {
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
    // Still full (a flood of distinct clients within one window): drop the oldest keys rather than grow.
    for (const k of this.entries.keys()) {
      if (this.entries.size < this.maxKeys) break;
      this.entries.delete(k);
    }
  }
}
