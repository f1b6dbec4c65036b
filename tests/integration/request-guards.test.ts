import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import type { TutorUIMessageChunk } from "@/lib/tutor/contract";
import type { RunningApp } from "../support/next-app";
import { defaultScript, startFakeOpenAI, type FakeOpenAI } from "../support/openai-server";
import { DEMO_COURSE, ROOT, startApp, tempDir } from "./helpers";

/**
 * Issue 13, findings 2, 3, 5–8, over HTTP against the built app: bodies bounded while they stream, the chat only
 * for the app's own pages and JSON, an overall cap on an answer, security headers, error pages with their status,
 * JSON 405s, no server paths.
 */

const MB = 1024 * 1024;

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m![1]) * 1024;
}

/** POSTs `total` bytes as a chunked body, as fast as the server takes them, until it answers. */
function postChunked(url: string, total: number): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } });
    let sent = 0;
    let answered = false;
    const chunk = Buffer.alloc(64 * 1024, "x");
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, sent }));
    });
    req.on("error", (e) => (answered ? undefined : reject(e)));
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    req.write('{"messages":"');
    pump();
  });
}

async function readChunks(res: Response): Promise<TutorUIMessageChunk[]> {
  const text = await res.text();
  return text
    .split("\n\n")
    .map((e) => e.trim())
    .filter((l) => l.startsWith("data: ") && l !== "data: [DONE]")
    .map((l) => JSON.parse(l.slice(6)));
}

const chatJson = (question: string) => JSON.stringify({ messages: [{ id: "m", role: "user", parts: [{ type: "text", text: question }] }] });

describe("request guards of the built app", () => {
  const tmp = tempDir();
  const db = path.join(tmp.dir, "db");
  let app: RunningApp;
  let fake: FakeOpenAI;
  const llmCalls = () => fake.requests.filter((r) => r.path.startsWith("/v1/chat/completions")).length;

  beforeAll(async () => {
    await ingestCourse({ tex: "none", path: DEMO_COURSE, db, embedder: null, modelStatus: { available: false, modelId: "none" } });
    fake = await startFakeOpenAI({
      script: (req) =>
        req.messages.at(-1)?.content.includes("TRICKLE")
          ? { chunks: Array.from({ length: 40 }, (_, i) => `tok${i} `), chunkDelayMs: 1500 }
          : // An upstream that ignores max_tokens: 2,000 words.
            req.messages.at(-1)?.content.includes("FLOOD")
            ? { chunks: Array.from({ length: 2000 }, (_, i) => `w${i % 10}xy `) }
            : defaultScript(req),
    });
    app = await startApp({
      TUTOR_DB_DIR: db,
      // An absolute server path that must never reach a user (the model is missing from it).
      TUTOR_MODEL_DIR: path.join(tmp.dir, "secret-server-folder", "models"),
      TUTOR_LLM_PROVIDER: "openai-compatible",
      TUTOR_LLM_BASE_URL: fake.url,
      TUTOR_LLM_MODEL: "fake-model",
      TUTOR_LLM_TIMEOUT_MS: "3000",
      TUTOR_LLM_ANSWER_MAX_MS: "4000",
      TUTOR_LLM_MAX_OUTPUT_TOKENS: "100",
      TUTOR_RATE_LIMIT_PER_MINUTE: "1000",
      TUTOR_LLM_CALLS_PER_MINUTE: "1000",
      TUTOR_ALLOWED_ORIGINS: "https://lms.example.edu",
    });
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
    tmp.cleanup();
  });

  it("a 50 MB chunked body gets 413 while it streams, and the server's memory grows by at most 20 MB", async () => {
    // Warm the route up first, so its first compile is not counted.
    for (let i = 0; i < 3; i++) await (await fetch(`${app.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).text();
    const before = rssBytes(app.pid);
    const r = await postChunked(`${app.url}/api/chat`, 50 * MB);
    await new Promise((res) => setTimeout(res, 500));
    const growth = rssBytes(app.pid) - before;
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ error: "payload-too-large", message: expect.stringMatching(/larger than 1,000,000 bytes/) });
    expect(growth).toBeLessThanOrEqual(20 * MB);
    // A declared length over the limit is refused unread.
    const declared = await fetch(`${app.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: "x".repeat(1_000_001) });
    expect(declared.status).toBe(413);
  }, 120_000);

  it("the chat answers only the app's own pages (or TUTOR_ALLOWED_ORIGINS), and only JSON", async () => {
    const calls = llmCalls();
    const evil = await fetch(`${app.url}/api/chat`, { method: "POST", headers: { origin: "https://evil.example", "content-type": "text/plain" }, body: chatJson("hint for exercise 1.41") });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ error: "forbidden-origin", message: expect.stringContaining("https://evil.example") });
    const evilJson = await fetch(`${app.url}/api/chat`, { method: "POST", headers: { origin: "https://evil.example", "content-type": "application/json" }, body: chatJson("hint") });
    expect(evilJson.status).toBe(403);
    const crossSite = await fetch(`${app.url}/api/chat`, { method: "POST", headers: { "sec-fetch-site": "cross-site", "content-type": "application/json" }, body: chatJson("hint") });
    expect(crossSite.status).toBe(403);
    const plain = await fetch(`${app.url}/api/chat`, { method: "POST", headers: { origin: app.url, "content-type": "text/plain" }, body: chatJson("hint") });
    expect(plain.status).toBe(415);
    expect(await plain.json()).toMatchObject({ error: "unsupported-media-type", message: expect.stringMatching(/must be JSON/) });
    expect(llmCalls()).toBe(calls);

    for (const origin of [app.url, "https://lms.example.edu"]) {
      const ok = await fetch(`${app.url}/api/chat`, { method: "POST", headers: { origin, "content-type": "application/json" }, body: chatJson("hint for exercise 1.41") });
      expect(ok.status, origin).toBe(200);
      await ok.text();
    }
    expect(llmCalls()).toBe(calls + 2);
  }, 60_000);

  it("an upstream sending a token every 1.5 s is cut at the answer cap: the answer so far kept, a notice, finish", async () => {
    const res = await fetch(`${app.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: chatJson("TRICKLE explain exercise 1.41") });
    expect(res.status).toBe(200);
    const chunks = await readChunks(res);
    const text = chunks.flatMap((c) => (c.type === "text-delta" ? [c.delta] : [])).join("");
    expect(text).toMatch(/^tok0 tok1 /);
    expect(text).not.toContain("tok39");
    const notices = chunks.flatMap((c) => (c.type === "data-notice" ? [c.data] : []));
    expect(notices).toContainEqual({ kind: "truncated", message: expect.stringMatching(/stopped after 4 s.*what arrived is kept/) });
    expect(chunks.at(-1)).toMatchObject({ type: "finish", finishReason: "length" });
    expect(chunks.some((c) => c.type === "data-citations")).toBe(true);
    // The upstream request was aborted, not read to its end.
    const last = fake.requests.at(-1)!;
    await new Promise((r) => setTimeout(r, 300));
    expect(last.completed).toBe(false);
  }, 60_000);

  it("an upstream that ignores max_tokens is cut at the token cap, the answer so far kept", async () => {
    const res = await fetch(`${app.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: chatJson("FLOOD explain exercise 1.41") });
    const chunks = await readChunks(res);
    const text = chunks.flatMap((c) => (c.type === "text-delta" ? [c.delta] : [])).join("");
    expect(text.startsWith("w0xy w1xy ")).toBe(true);
    // 100 tokens (a little over: about 4 characters each), not the 12,000 characters sent.
    expect(text.length).toBeLessThan(700);
    expect((fake.requests.at(-1)!.body as { max_tokens?: number }).max_tokens).toBe(100);
    const notices = chunks.flatMap((c) => (c.type === "data-notice" ? [c.data] : []));
    expect(notices).toContainEqual({ kind: "truncated", message: expect.stringMatching(/length limit \(100 tokens\)/) });
    expect(chunks.at(-1)).toMatchObject({ type: "finish", finishReason: "length" });
  });

  it("every response has security headers; pages a CSP with a per-request nonce that Next's scripts carry", async () => {
    const page = await fetch(`${app.url}/`);
    const csp = page.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    const html = await page.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
    const again = (await fetch(`${app.url}/`)).headers.get("content-security-policy");
    expect(again).not.toBe(csp);

    for (const p of ["/", "/api/health", "/api/search?q=sets", "/cite/Exercise%201.41", "/nope-not-a-page", "/api/chat"]) {
      const res = await fetch(`${app.url}${p}`);
      await res.text();
      expect(res.headers.get("x-content-type-options"), p).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), p).toBe("same-origin");
      expect(res.headers.get("content-security-policy"), p).toContain("frame-ancestors 'none'");
    }
    expect((await fetch(`${app.url}/api/health`)).headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  }, 60_000);

  it("KaTeX and Next's scripts run under the CSP in Chromium, with no violation reported", async () => {
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on("console", (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      await page.goto(`${app.url}/cite/${encodeURIComponent("Exercise 1.41")}`);
      await page.locator(".katex").first().waitFor();
      // Hydrated: the client router handles a link (only Next's scripts running makes this a soft navigation).
      await page.goto(`${app.url}/`);
      await page.locator("textarea, input[type=text]").first().waitFor();
      await page.waitForFunction(() => (window as unknown as { next?: unknown }).next !== undefined);
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);

  it("error pages keep their friendly text and get their status: 404 for an unknown label or course (in Chromium)", async () => {
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
    try {
      const page = await browser.newPage();
      const cases: [string, RegExp][] = [
        [`/cite/${encodeURIComponent("Exercise 9.99")}`, /No “Exercise 9\.99” in these notes[\s\S]*Nearest labels:[\s\S]*Exercise \d/],
        ["/cite/..%2F..%2Fetc%2Fpasswd", /No “\.\.\/\.\.\/etc\/passwd” in these notes/],
        ["/course?course=nope", /No course “nope” here[\s\S]*imo-demo/],
      ];
      for (const [p, text] of cases) {
        const res = await page.goto(`${app.url}${p}`);
        expect(res?.status(), p).toBe(404);
        await page.getByRole("heading", { level: 1 }).waitFor();
        expect(await page.locator("main").innerText(), p).toMatch(text);
      }
    } finally {
      await browser.close();
    }
  }, 90_000);

  it("error pages show their text without JavaScript: the 404's HTML holds the friendly page, not an empty shell", async () => {
    // What a client without JavaScript (curl, a screen reader on a slow link, a crawler) gets: the markup alone.
    const visibleText = (html: string) =>
      html
        .replace(/<script[\s\S]*?<\/script>/g, " ")
        // React separates adjacent text nodes with empty comments: they are not spaces.
        .replace(/<!--[\s\S]*?-->/g, "")
        .replace(/<[^>]+>/g, " ")
        .replace(/&quot;/g, "\"")
        .replace(/&amp;/g, "&")
        .replace(/\s+/g, " ");
    const cases: [string, RegExp][] = [
      ["/cite/nope", /No “nope” in these notes.*Browse the outline/],
      [`/cite/${encodeURIComponent("Exercise 9.99")}`, /No “Exercise 9\.99” in these notes Nearest labels: Exercise \d/],
      ["/cite/..%2F..%2Fetc%2Fpasswd", /No “\.\.\/\.\.\/etc\/passwd” in these notes/],
      ["/cite/Exercise%201.41?course=nope", /No “Exercise 1\.41” in these notes Unknown course "nope"/],
      ["/course?course=nope", /No course “nope” here imo-demo/],
    ];
    for (const [p, text] of cases) {
      const res = await fetch(`${app.url}${p}`);
      expect(res.status, p).toBe(404);
      const html = await res.text();
      expect(html, p).not.toContain('id="__next_error__"');
      expect(visibleText(html), p).toMatch(text);
    }
    // A found label still answers 200 with its text.
    const found = await fetch(`${app.url}/cite/${encodeURIComponent("Exercise 1.41")}`);
    expect(found.status).toBe(200);
    expect(visibleText(await found.text())).toMatch(/Exercise 1\.41/);
  });

  it("wrong methods get a JSON 405 naming the allowed ones, in Allow too", async () => {
    const get = await fetch(`${app.url}/api/chat`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(await get.json()).toMatchObject({ error: "method-not-allowed", allow: ["POST"] });
    const post = await fetch(`${app.url}/api/search`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    expect(await post.json()).toMatchObject({ error: "method-not-allowed" });
  });

  it("no server path in the chat page or /api/health", async () => {
    const html = await (await fetch(`${app.url}/`)).text();
    const health = await (await fetch(`${app.url}/api/health`)).text();
    for (const text of [html, health]) {
      expect(text).not.toContain(tmp.dir);
      expect(text).not.toContain("secret-server-folder");
      expect(text).not.toContain(ROOT);
    }
    // The reason is still there, minus the path.
    expect(JSON.parse(health).model.reason).toMatch(/‹server path›/);
  });
});
