import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEmbedder, type Embedder } from "@/lib/embed";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import { findPassages, warmUp } from "@/lib/retrieve/search";
import { invalidateSnapshots, listCourseItems, listCourses, requireSnapshot, searchPassagesVector, searchVectorsInMemory, searchVectorsInStore } from "@/lib/store/read";
import { ROOT, copyDemoCourse, runCli, tempDir } from "./helpers";

/**
 * Hybrid retrieval end to end: the real transformers.js runtime on the e5-width fixture (converted by the
 * project's own converter) embeds passages into a real LanceDB, and questions go through findPassages.
 * The fixture's weights are random, so these tests check the plumbing (dense hits exist, fusion, references
 * first, follow-ups, scope), not ranking quality — that is `npm run eval` with the real model.
 */
describe("hybrid retrieval on a real store and the real model runtime", () => {
  const tmp = tempDir();
  const db = path.join(tmp.dir, "db");
  let embedder: Embedder;
  let course: string;

  beforeAll(async () => {
    const modelDir = path.join(tmp.dir, "model");
    cpSync(path.join(ROOT, "tests/fixtures/e5-width-fixture"), modelDir, { recursive: true });
    embedder = await loadEmbedder({ dir: modelDir, dtype: "fp32", modelId: "e5-width-fixture" });
    course = copyDemoCourse(tmp.dir);
    // Two chapters keep the test quick; the parsers are tested on the whole course elsewhere.
    writeFileSync(
      path.join(course, "course.json"),
      JSON.stringify({ id: "imo-demo", title: "Demo", files: ["notes/02-functions-induction.txt", "md/05-optimisation-in-practice.md"] }),
    );
    const s = await ingestCourse({ tex: "none", path: course, db, embedder, modelStatus: { available: true, modelId: embedder.modelId } });
    expect(s.embedded).toBe(s.passages);
  }, 300_000);
  afterAll(() => tmp.cleanup());

  it("re-ingesting embeds nothing that did not change", async () => {
    const s = await ingestCourse({ tex: "none", path: course, db, embedder, modelStatus: { available: true, modelId: embedder.modelId } });
    expect(s.embedded).toBe(0);
    expect(s.unchanged).toBe(s.passages);
  });

  it("runs hybrid: dense and full-text hits fused, each result saying who found it", async () => {
    const r = await findPassages({ db, question: "gradient descent step size for a quadratic", k: 8, embedder });
    expect(r.mode).toBe("hybrid");
    expect(r.dense).toMatchObject({ available: true });
    expect(r.dense!.topSimilarity).toBeGreaterThan(-1);
    const retrievers = new Set(r.results.flatMap((x) => x.retrievers));
    expect(retrievers).toEqual(new Set(["dense", "fulltext"]));
    expect(r.results.some((x) => x.retrievers.length === 2)).toBe(true);
    expect(new Set(r.results.map((x) => x.id)).size).toBe(r.results.length);
    for (let i = 1; i < r.results.length; i++) expect(r.results[i - 1].score).toBeGreaterThanOrEqual(r.results[i].score);
  });

  it("puts the passage of a named exercise first, with the part asked for, in every mode", async () => {
    for (const mode of ["lexical", "dense", "hybrid"] as const) {
      const r = await findPassages({ db, question: "the hint to ex 5.13(b) please", k: 5, embedder, mode });
      expect(r.results[0].refs).toContain("Exercise 5.13");
      expect(r.results[0].retrievers[0]).toBe("reference");
      expect(r.results[0].part).toBe("b");
      expect(r.outOfScope).toBe(false);
    }
  });

  it("searches a small course's vectors exactly in memory, with LanceDB's ranking and cosines", async () => {
    const snap = await requireSnapshot(db);
    const [v] = await embedder.embed(["why does the gradient point uphill"], { prompt: "query" });
    const opts = { course: "imo-demo", vector: v, model: embedder.modelId, k: 10 };
    const memory = await searchVectorsInMemory(snap, opts);
    const store = await searchVectorsInStore(snap, opts); // no index on a small table: LanceDB scans exactly
    expect(memory.map((h) => h.id)).toEqual(store.map((h) => h.id));
    memory.forEach((h, i) => expect(h.score).toBeCloseTo(store[i].score, 5));
    expect(memory[0].text.length).toBeGreaterThan(0);
    // What the app calls picks the in-memory path for a course this small.
    expect((await searchPassagesVector(snap, opts)).map((h) => h.id)).toEqual(memory.map((h) => h.id));
    // Vectors of another model are never mixed in.
    expect(await searchPassagesVector(snap, { ...opts, model: "another-model" })).toEqual([]);
  });

  it("warm-up loads what a course's first question needs", async () => {
    invalidateSnapshots(db);
    expect(await warmUp({ db, embedder })).toEqual({ courses: ["imo-demo"] });
    const loaded = [...(await requireSnapshot(db)).memo.keys()];
    expect(loaded).toEqual(expect.arrayContaining(["items:imo-demo", "terms:imo-demo", `vectors:imo-demo:${embedder.modelId}`]));
    expect(await warmUp({ db: path.join(tmp.dir, "empty-store"), embedder: null })).toEqual({ courses: [] });
  });

  it("resolves a follow-up against the conversation", async () => {
    const r = await findPassages({
      db,
      question: "and the next exercise?",
      k: 5,
      embedder,
      history: [
        { role: "user", text: "I'm stuck on Exercise 5.12" },
        { role: "assistant", text: "Set up the Lagrange condition.", citations: ["Exercise 5.12"] },
      ],
    });
    expect(r.results[0].refs).toContain("Exercise 5.13");
    expect(r.results[0].retrievers).toContain("context");
    expect(r.resolvedQuery).toContain("Exercise 5.12");
  });

  it("flags a question the notes do not cover, and not one they do", async () => {
    expect((await findPassages({ db, question: "how do I bake sourdough bread?", embedder })).outOfScope).toBe(true);
    expect((await findPassages({ db, question: "what is gradient descent and how do I choose the step size", embedder })).outOfScope).toBe(false);
  });

  it("gives the same scope verdict in every mode: it reads full-text evidence, not the dense ranking", async () => {
    for (const question of ["how do I bake sourdough bread?", "what is gradient descent and how do I choose the step size", "who won the world cup"]) {
      const verdicts = [];
      for (const mode of ["lexical", "dense", "hybrid"] as const) {
        const r = await findPassages({ db, question, embedder, mode });
        verdicts.push([r.outOfScope, r.scope?.coverage]);
      }
      expect(verdicts[1]).toEqual(verdicts[0]);
      expect(verdicts[2]).toEqual(verdicts[0]);
    }
  });

  it("reports a label the course lacks with the nearest real labels, and keeps the ones it has", async () => {
    const r = await findPassages({ db, question: "in exercise 5.99, can I use Exercise 5.12?", embedder });
    expect(r.absent.map((a) => a.label)).toEqual(["Exercise 5.99"]);
    expect(r.absent[0].nearest.length).toBeGreaterThan(0);
    expect(r.absent[0].nearest.every((l) => l.startsWith("Exercise 5."))).toBe(true);
    expect(r.results[0].refs).toContain("Exercise 5.12");
    expect((await findPassages({ db, question: "what is gradient descent", embedder })).absent).toEqual([]);
  });

  it("without a dense ranking, the best single item's passage gets a place near the top", async () => {
    // Exercise-level full text: the question describes one exercise; its passage is placed second at the latest.
    const r = await findPassages({ db, question: "gradient descent step size for a quadratic", k: 5, embedder: null });
    const i = r.results.findIndex((x) => x.retrievers.includes("items"));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(i).toBeLessThanOrEqual(1);
    const hybrid = await findPassages({ db, question: "gradient descent step size for a quadratic", k: 5, embedder });
    expect(hybrid.results.flatMap((x) => x.retrievers)).not.toContain("items");
  });

  it("a 'what does X mean' question gets the notes' definition of X near the top, without the model", async () => {
    const r = await findPassages({ db, question: "what does the hessian matrix mean", k: 5, embedder: null });
    const withDefinition = r.results.findIndex((x) => x.refs.some((l) => l.startsWith("Definition")) && x.retrievers.includes("definition"));
    expect(withDefinition).toBeGreaterThanOrEqual(0);
    expect(withDefinition).toBeLessThanOrEqual(2);
    const notAsked = await findPassages({ db, question: "hessian matrix of a quadratic", k: 5, embedder: null });
    expect(notAsked.results.flatMap((x) => x.retrievers)).not.toContain("definition");
  });

  it("falls back to full-text when the course was embedded with another model", async () => {
    const other = { modelId: "another-model", embed: embedder.embed.bind(embedder) };
    const r = await findPassages({ db, question: "least squares normal equations", embedder: other });
    expect(r.mode).toBe("fulltext");
    expect(r.dense!.reason).toMatch(/not embedded with another-model/);
    expect(r.results[0].retrievers).toContain("fulltext");
    expect(r.results.flatMap((x) => x.retrievers)).not.toContain("dense");
  });

  it("npm run eval prints model-card metrics as one JSON line per mode", () => {
    const file = path.join(tmp.dir, "q.jsonl");
    writeFileSync(
      file,
      [
        { q: "opg 5.8 (b)", expect: ["Exercise 5.8"], kind: "explicit-ref" },
        { q: "normal equations least squares", expect: ["Theorem 5.3"], kind: "conceptual" },
        { q: "how do I bake sourdough bread", expect: [], kind: "off-topic" },
        { q: "hint for exercise 5.99 please", expect: [], kind: "off-topic", absent: ["Exercise 5.99"] },
      ]
        .map((l) => JSON.stringify(l))
        .join("\n"),
    );
    const r = runCli("eval", [file, "--db", db, "--mode", "lexical", "--json"]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout.trim());
    expect(report).toMatchObject({ mode: "lexical", n: 4, out_of_scope: { flagged_off_topic: 1, flagged_on_topic: 0 }, absent: { n: 1, reported: 1 } });
    expect(report.by_kind["explicit-ref"]["acc@1"]).toBe(1);
    expect(report.expected_labels).toEqual({ n: 2, not_in_store: 0 });
    expect(Object.keys(report.overall)).toEqual(["acc@1", "acc@3", "acc@5", "acc@10", "mrr@10", "ndcg@10"]);

    const bad = runCli("eval", [path.join(tmp.dir, "missing.jsonl"), "--db", db]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/cannot read/);
    const unknownBook = runCli("eval", ["--books", "no-such-book"]);
    expect(unknownBook.status).toBe(1);
    expect(unknownBook.stderr).toMatch(/unknown book: no-such-book/);
    const unknownCorpus = runCli("eval-corpus", ["no-such-book"]);
    expect(unknownCorpus.status).toBe(2);
    expect(unknownCorpus.stderr).toMatch(/unknown book: no-such-book/);
  });

  it("npm run eval:refs asks for every label of the store in students' forms and finds each first", async () => {
    const r = runCli("eval-refs", ["--db", db, "--json"], { timeoutMs: 300_000 });
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout.trim());
    // Every numbered item of the demo course is asked for, in every form that fits its numbering.
    const snap = await requireSnapshot(db);
    const items = await listCourseItems(snap, (await listCourses(snap))[0].id);
    expect(report.labels).toBe(new Set(items.filter((i) => i.number).map((i) => i.label)).size);
    expect(report.probes).toBeGreaterThan(report.labels * 4);
    expect(Object.keys(report.forms)).toEqual(expect.arrayContaining(["printed label", "lower case", "abbrev", "§n", "problem n", "typo in kind word"]));
    // The demo numbers exercises with a counter shared by every kind (Exercise 1.41): no "2.1 #6" forms.
    expect(report.forms["S #n"]).toBeUndefined();
    expect(report["acc@1"]).toBe(1);
    expect(report.wrongly_absent).toBe(0);

    const usage = runCli("eval-refs", ["some-book"]);
    expect(usage.status).toBe(2);
    const unknownBook = runCli("eval-refs", ["--books", "no-such-book"]);
    expect(unknownBook.status).toBe(1);
    expect(unknownBook.stderr).toMatch(/unknown book: no-such-book/);
  }, 360_000);

  // Last: it adds a second course to the store. With one course the searches skip their filters.
  it("keeps two courses in one store apart in every retriever", async () => {
    const other = path.join(tmp.dir, "other-course");
    mkdirSync(other, { recursive: true });
    writeFileSync(path.join(other, "course.json"), JSON.stringify({ id: "other", title: "Other course" }));
    // Forty sections that match the question better than anything in the demo course: unfiltered, they
    // would fill every candidate slot of a search in the demo course.
    const sections = Array.from({ length: 40 }, (_, i) => `## Section 1.${i + 1}: Step sizes ${i}\n\nGradient descent step size for a quadratic: gradient descent, step size, quadratic.\n`);
    writeFileSync(path.join(other, "notes.md"), `# Chapter 1: Gradient descent elsewhere\n\n${sections.join("\n")}`);
    const s = await ingestCourse({ tex: "none", path: other, db, embedder, modelStatus: { available: true, modelId: embedder.modelId } });
    expect(s.course).toBe("other");
    invalidateSnapshots(db);
    const snap = await requireSnapshot(db);
    const [v] = await embedder.embed(["gradient descent step size for a quadratic"], { prompt: "query" });
    for (const course of ["imo-demo", "other"]) {
      for (const mode of ["lexical", "hybrid"] as const) {
        const r = await findPassages({ db, course, question: "gradient descent step size for a quadratic", k: 10, embedder, mode });
        expect(r.results.length).toBe(10);
        expect(r.results.every((x) => x.id.startsWith(`${course}/`))).toBe(true);
      }
      const opts = { course, vector: v, model: embedder.modelId, k: 10 };
      for (const hits of [await searchVectorsInStore(snap, opts), await searchVectorsInMemory(snap, opts)]) {
        expect(hits.length).toBe(10);
        expect(hits.every((h) => h.course === course)).toBe(true);
      }
    }
  });
});
