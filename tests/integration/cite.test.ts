import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import { DEMO_COURSE, ROOT, runCli, startApp, tempDir } from "./helpers";

/**
 * Citation lookup through all three doors — CLI, HTTP API and the page — on one ingested demo course.
 * The app is the production build (`next build`, run by `npm test` before this file).
 */
describe("citation lookup: CLI, API and page", () => {
  const tmp = tempDir();
  const db = path.join(tmp.dir, "db");
  let app: { url: string; stop: () => Promise<void> };

  beforeAll(async () => {
    await ingestCourse({ tex: "none", path: DEMO_COURSE, db, embedder: null, modelStatus: { available: false, modelId: "none" } });
    if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) throw new Error("no production build: run `npx next build` (npm test does)");
    app = await startApp({ TUTOR_DB_DIR: db, TUTOR_MODEL_DIR: path.join(tmp.dir, "no-models") });
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    tmp.cleanup();
  });

  it("CLI --json prints the item with its source location", () => {
    const r = runCli("cite", ["Ex 1.41(b)", "--db", db, "--json"]);
    expect(r.status).toBe(0);
    const item = JSON.parse(r.stdout);
    expect(item).toMatchObject({
      label: "Exercise 1.41",
      kind: "exercise",
      number: "1.41",
      part: "b",
      course: "imo-demo",
      source: { file: "notes/01-numbers-logic-sets.txt", line: expect.any(Number), endLine: expect.any(Number) },
    });
    expect(Object.keys(item)).toEqual(expect.arrayContaining(["label", "kind", "number", "title", "text", "course", "chapter", "section", "source"]));
  });

  it("CLI prints readable text, and exits 1 with suggestions for an unknown label", () => {
    const ok = runCli("cite", ["section 1.6", "--db", db]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^Section 1\.6 \(More on sets\)/);
    const bad = runCli("cite", ["Thm. 7.13", "--db", db, "--json"]);
    expect(bad.status).toBe(1);
    const body = JSON.parse(bad.stdout);
    expect(body.error).toBe("not-found");
    expect(body.suggestions.length).toBeGreaterThan(0);
    expect(bad.stderr).toMatch(/not a label in imo-demo/);
  });

  it("CLI names an unknown course", () => {
    const r = runCli("cite", ["Exercise 1.41", "--db", db, "--course", "nope", "--json"]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: "unknown-course", courses: ["imo-demo"] });
  });

  it("search CLI --json returns the referenced exercise first", () => {
    const r = runCli("search", ["what identity do I use in exercise 1.41", "--db", db, "--json", "--k", "3"]);
    expect(r.status).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.results).toHaveLength(3);
    expect(body.results[0].refs).toContain("Exercise 1.41");
    expect(body.results[0]).toMatchObject({ label: expect.any(String), kind: expect.any(String), score: expect.any(Number), retrievers: expect.any(Array) });
  });

  it("CLIs reject bad flags with exit 2 and the usage, and print --help", () => {
    const badK = runCli("search", ["convex", "--db", db, "--k", "0"]);
    expect(badK.status).toBe(2);
    expect(badK.stderr).toMatch(/--k must be an integer from 1 to 100/);
    const unknownFlag = runCli("cite", ["Exercise 1.41", "--nope"]);
    expect(unknownFlag.status).toBe(2);
    expect(unknownFlag.stderr).toMatch(/Unknown option '--nope'[\s\S]*Usage: npm run cite/);
    const help = runCli("ingest", ["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run ingest/);
  });

  it("benchmarks reject bad flags, and a bad environment variable stops a CLI with one line naming it", () => {
    for (const [bench, args, usage] of [
      ["bench/retrieve.ts", ["--sizes=1000,abc"], /Usage: npm run bench:retrieve/],
      ["bench/embed-ops.ts", ["--batch", "0"], /Usage: npm run bench:embed-ops/],
      ["bench/embed-ops.ts", ["--nope"], /Unknown option '--nope'[\s\S]*Usage: npm run bench:embed-ops/],
      ["bench/ingest-pdf.ts", ["--copies", "0"], /Usage: npm run bench:ingest-pdf/],
      ["bench/ingest-pdf.ts", ["--nope"], /Unknown option '--nope'[\s\S]*Usage: npm run bench:ingest-pdf/],
    ] as const) {
      const r = runCli(bench, [...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(usage);
    }
    const badEnv = runCli("ingest", [DEMO_COURSE, "--db", path.join(tmp.dir, "never-written")], { env: { TUTOR_STORE_RETENTION_MINUTES: "-5" } });
    expect(badEnv.status).toBe(2);
    expect(badEnv.stderr).toMatch(/Invalid environment: TUTOR_STORE_RETENTION_MINUTES/);
    expect(badEnv.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(path.join(tmp.dir, "never-written"))).toBe(false);
  });

    it("GET /api/cite returns the item, candidates, 404 with suggestions, and 400 for bad input", async () => {
    const found = await fetch(`${app.url}/api/cite?ref=${encodeURIComponent("Def. 1.42")}`);
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ label: "Definition 1.42", kind: "definition", course: "imo-demo" });

    const ambiguous = await fetch(`${app.url}/api/cite?ref=1.6`);
    expect(ambiguous.status).toBe(200);
    expect((await ambiguous.json()).candidates.map((c: { label: string }) => c.label)).toContain("Section 1.6");

    const missing = await fetch(`${app.url}/api/cite?ref=${encodeURIComponent("Exercise 9.99")}`);
    expect(missing.status).toBe(404);
    const body = await missing.json();
    expect(body.error).toBe("not-found");
    expect(body.suggestions.length).toBeGreaterThan(0);

    const empty = await fetch(`${app.url}/api/cite`);
    expect(empty.status).toBe(400);
    expect((await empty.json()).message).toMatch(/ref/);
    const long = await fetch(`${app.url}/api/cite?ref=${"x".repeat(500)}`);
    expect(long.status).toBe(400);
    const unknownCourse = await fetch(`${app.url}/api/cite?ref=1.41&course=nope`);
    expect(unknownCourse.status).toBe(404);
    expect(await unknownCourse.json()).toMatchObject({ error: "unknown-course" });
  });

  it("the /cite page renders the exact text with KaTeX and where it sits", async () => {
    const res = await fetch(`${app.url}/cite/${encodeURIComponent("Exercise 1.41")}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-testid="cite-item"');
    expect(html).toContain("Exercise 1.41");
    expect(html).toMatch(/Section 1\.6: More on sets/);
    expect(html).toMatch(/class="katex"/);
    expect(html).toMatch(/notes\/01-numbers-logic-sets\.txt:\d+/);
    // Its reference to Theorem 1.40 is a link to that passage's page.
    expect(html).toMatch(/<a class="xref" href="\/cite\/Theorem%201\.40" data-cite="Theorem 1\.40">Theorem 1\.40<\/a>/);
    const withCourse = await (await fetch(`${app.url}/cite/${encodeURIComponent("Exercise 1.41")}?course=imo-demo`)).text();
    expect(withCourse).toContain('href="/cite/Theorem%201.40?course=imo-demo"');

    const bySegments = await fetch(`${app.url}/cite/ex/1.41`);
    expect(await bySegments.text()).toContain('data-testid="cite-item"');

    // An unknown label: 404, and the friendly page (Next renders a segment's not-found page from the RSC payload).
    const missing = await fetch(`${app.url}/cite/${encodeURIComponent("Exercise 9.99")}`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("cite-not-found");

    // A malformed escape in the address is a 400 with a reason (proxy.ts), not a server error.
    const malformed = await fetch(`${app.url}/cite/%ZZ`);
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toMatch(/malformed %-escape/);
    const percent = await fetch(`${app.url}/cite/100%25`);
    expect(percent.status).toBe(404);
    expect(await percent.text()).toContain("cite-not-found");
  });

  it("GET /api/health says retrieval is full-text when no model is present", async () => {
    const res = await fetch(`${app.url}/api/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, retrieval: "fulltext", model: { available: false } });
    expect(body.store.courses.map((c: { id: string }) => c.id)).toEqual(["imo-demo"]);
  });
});
