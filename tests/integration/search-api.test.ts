import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import { DEMO_COURSE, ROOT, runCli, startApp, tempDir } from "./helpers";

/** GET /api/search over HTTP against the production build: the same JSON as `npm run search -- --json`. */
describe("GET /api/search", () => {
  const tmp = tempDir();
  const db = path.join(tmp.dir, "db");
  let app: { url: string; stop: () => Promise<void> };
  const LIMIT = 8;

  beforeAll(async () => {
    await ingestCourse({ tex: "none", path: DEMO_COURSE, db, embedder: null, modelStatus: { available: false, modelId: "none" } });
    if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) throw new Error("no production build: run `npx next build` (npm test does)");
    const models = path.join(tmp.dir, "no-models");
    app = await startApp({ TUTOR_DB_DIR: db, TUTOR_MODEL_DIR: models, TUTOR_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    tmp.cleanup();
  });

  it("returns exactly what the search CLI prints", async () => {
    const q = "what identity do I use in exercise 1.41";
    const res = await fetch(`${app.url}/api/search?q=${encodeURIComponent(q)}&k=3`);
    expect(res.status).toBe(200);
    const body = await res.json();
    const cli = runCli("search", [q, "--db", db, "--json", "--k", "3"], { env: { TUTOR_MODEL_DIR: path.join(tmp.dir, "no-models") } });
    // runCli blocked this process: let it see the app's keep-alive sockets that closed meanwhile.
    await new Promise((r) => setTimeout(r, 200));
    expect(cli.status, cli.stderr).toBe(0);
    expect(body).toEqual(JSON.parse(cli.stdout));
    expect(body.results).toHaveLength(3);
    expect(body.results[0].refs).toContain("Exercise 1.41");
    expect(body).toMatchObject({ course: "imo-demo", query: q, mode: "fulltext" });
  });

  it("validates q, k and course", async () => {
    const missing = await fetch(`${app.url}/api/search`);
    expect(missing.status).toBe(400);
    expect((await missing.json()).message).toMatch(/q is required/);
    for (const k of ["0", "101", "two", "1.5"]) {
      const res = await fetch(`${app.url}/api/search?q=sets&k=${k}`);
      expect(res.status, `k=${k}`).toBe(400);
      expect((await res.json()).message).toMatch(/k must be an integer from 1 to 100/);
    }
    const long = await fetch(`${app.url}/api/search?q=${"x".repeat(1001)}`);
    expect(long.status).toBe(400);
    const unknown = await fetch(`${app.url}/api/search?q=sets&course=nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "unknown-course", courses: ["imo-demo"] });
  });

  it("limits requests per client with 429 and Retry-After", async () => {
    let limited: Response | undefined;
    for (let i = 0; i < LIMIT + 2 && !limited; i++) {
      const res = await fetch(`${app.url}/api/search?q=sets`);
      if (res.status === 429) limited = res;
      else await res.text();
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await limited!.json()).toMatchObject({ error: "rate-limited" });
  });
});
