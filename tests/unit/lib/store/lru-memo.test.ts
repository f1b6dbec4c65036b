import { describe, expect, it } from "vitest";
import { lruMemo } from "@/lib/store/read";

describe("lruMemo (the per-snapshot cache of full-text rankings)", () => {
  it("loads once per key, stays within its bound whatever the stream of keys, and drops the least recently used", async () => {
    const cache = new Map<string, Promise<number>>();
    let loads = 0;
    const get = (k: string) => lruMemo(cache, k, async () => ++loads, 3);
    expect(await get("a")).toBe(1);
    expect(await get("a")).toBe(1);
    await get("b");
    await get("c");
    await get("a"); // a is now the most recently used
    await get("d"); // drops b
    expect([...cache.keys()]).toEqual(["c", "a", "d"]);
    for (let i = 0; i < 5000; i++) await get(`q${i}`);
    expect(cache.size).toBe(3);
    expect(loads).toBe(4 + 5000);
  });

  it("forgets a failed load, so the next ask tries again", async () => {
    const cache = new Map<string, Promise<number>>();
    await expect(lruMemo(cache, "x", async () => Promise.reject(new Error("store busy")), 10)).rejects.toThrow("store busy");
    await new Promise((r) => setTimeout(r, 0));
    expect(cache.has("x")).toBe(false);
    expect(await lruMemo(cache, "x", async () => 7, 10)).toBe(7);
  });
});
