import { Redis } from "ioredis";
import { windowEnd, windowKey, type CounterStore } from "./counters";

/**
 * Counters in Redis, shared by every app replica. Each window is one key (INCRBY, expiring when the window
 * ends plus a minute of clock slack), so the counts are exact across replicas with no read-modify-write.
 */
export class RedisCounterStore implements CounterStore {
  private readonly redis: Redis;

  constructor(url: string, private readonly prefix = "tutor:limits:") {
    this.redis = new Redis(url, {
      // A request must not hang on an unreachable Redis: fail the command fast and say so.
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 2000,
      enableOfflineQueue: true,
      lazyConnect: false,
      // Commands issued in the same tick go out as one pipeline: the limit checks of a request read their
      // counters together (lib/limits/usage.ts), one round trip instead of one per counter.
      enableAutoPipelining: true,
    });
    // Connection errors surface on the commands; without a listener ioredis logs each retry to the console.
    this.redis.on("error", () => {});
  }

  async add(key: string, amount: number, windowMs: number, now: number): Promise<number> {
    const k = this.prefix + windowKey(key, windowMs, now);
    const ttl = windowEnd(windowMs, now) - now + 60_000;
    const res = await this.redis.multi().incrby(k, amount).pexpire(k, ttl).exec();
    const [err, value] = res?.[0] ?? [new Error("no reply"), null];
    if (err) throw err;
    return Number(value);
  }

  async get(key: string, windowMs: number, now: number): Promise<number> {
    return Number((await this.redis.get(this.prefix + windowKey(key, windowMs, now))) ?? 0);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
