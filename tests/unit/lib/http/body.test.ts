import { describe, expect, it } from "vitest";
import { TutorError } from "@/lib/errors";
import { MAX_BODY_PIECES, readJsonBody } from "@/lib/http/body";

/** A body of `total` bytes produced on demand; `pulled` tells how much of it was ever read. */
function streamingRequest(total: number, type = "application/json") {
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const state = { pulled: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= total) return controller.close();
      state.pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const request = new Request("http://x/api/chat", { method: "POST", headers: { "content-type": type }, body, duplex: "half" } as RequestInit);
  return { request, state };
}

async function error(p: Promise<unknown>): Promise<TutorError> {
  try {
    await p;
  } catch (e) {
    return e as TutorError;
  }
  throw new Error("expected a refusal");
}

describe("readJsonBody", () => {
  it("refuses a body that arrives in too many pieces (one-byte chunks) before reading it all: 413 with the reason", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 300_000) return controller.close();
        pulled++;
        controller.enqueue(new Uint8Array([0x20]));
      },
    });
    const request = new Request("http://x/api/chat", { method: "POST", headers: { "content-type": "application/json" }, body, duplex: "half" } as RequestInit);
    const e = await error(readJsonBody(request, 1_000_000));
    expect(e.status).toBe(413);
    expect(e.message).toMatch(/more than 8,192 pieces/);
    expect(pulled).toBeLessThan(MAX_BODY_PIECES + 10);
  });

  it("stops reading a streamed body as soon as it passes the limit: 413, the rest never pulled", async () => {
    const { request, state } = streamingRequest(50 * 1024 * 1024);
    const e = await error(readJsonBody(request, 1_000_000));
    expect(e.status).toBe(413);
    expect(e.message).toMatch(/larger than 1,000,000 bytes/);
    expect(state.pulled).toBeLessThan(1_000_000 + 3 * 64 * 1024);
  });

  it("refuses a declared length over the limit without reading", async () => {
    const request = new Request("http://x/", { method: "POST", headers: { "content-type": "application/json", "content-length": "2000000" }, body: "{}" });
    expect((await error(readJsonBody(request, 1_000_000))).status).toBe(413);
  });

  it("wants JSON: 415 naming what came; 400 for JSON that does not parse", async () => {
    const plain = new Request("http://x/", { method: "POST", headers: { "content-type": "text/plain;charset=UTF-8" }, body: "{}" });
    const e = await error(readJsonBody(plain, 1000));
    expect(e.status).toBe(415);
    expect(e.message).toMatch(/must be JSON.*not text\/plain/);
    const broken = new Request("http://x/", { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect((await error(readJsonBody(broken, 1000))).status).toBe(400);
  });

  it("reads a body within the limit, split across chunks, multi-byte characters intact", async () => {
    const text = JSON.stringify({ q: "Øvelse 1.41 — ∑ ✓" });
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const b of bytes) c.enqueue(new Uint8Array([b]));
        c.close();
      },
    });
    const request = new Request("http://x/", { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body, duplex: "half" } as RequestInit);
    expect(await readJsonBody(request, 1000)).toEqual({ q: "Øvelse 1.41 — ∑ ✓" });
  });
});
