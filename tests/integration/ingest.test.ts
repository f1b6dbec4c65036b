import { readFileSync, readdirSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lookupCitation } from "@/lib/cite/lookup";
import { ingestCourse, type IngestSummary } from "@/lib/ingest/ingest-course";
import { findPassages } from "@/lib/retrieve/search";
import { getPassages, invalidateSnapshots, listCourseItems, openSnapshot } from "@/lib/store/read";
import { TutorError } from "@/lib/errors";
import { loadCourse } from "@/lib/course/load-course";
import { copyDemoCourse, runCli, tempDir } from "./helpers";

const noModel = { available: false, modelId: "none", reason: "test: full-text only" };

/** Every item points at a passage that exists and holds it: the store is complete and consistent. */
async function assertConsistent(db: string, course: string) {
  const snap = (await openSnapshot(db))!;
  const items = await listCourseItems(snap, course);
  expect(items.length).toBeGreaterThan(0);
  const ids = [...new Set(items.map((i) => i.passage_id))];
  const passages = await getPassages(snap, ids);
  expect(passages.map((p) => p.id).sort()).toEqual(ids.sort());
  const byId = new Map(passages.map((p) => [p.id, p]));
  for (const i of items) {
    if (["chapter", "section", "subsection"].includes(i.kind)) continue;
    expect(byId.get(i.passage_id)!.refs).toContain(i.label);
  }
  return { snap, items };
}

describe("ingest the demo course into a real LanceDB", () => {
  const tmp = tempDir();
  let course: string;
  let db: string;
  let first: IngestSummary;

  beforeAll(async () => {
    course = copyDemoCourse(tmp.dir);
    db = path.join(tmp.dir, "db");
    first = await ingestCourse({ tex: "none", path: course, db, embedder: null, modelStatus: noModel });
  });
  afterAll(() => tmp.cleanup());

  it("numbers everything and reports no problems in the demo notes", () => {
    expect(first.course).toBe("imo-demo");
    // Only size notes (long proofs by the conservative token estimate) — no parse or numbering problems.
    expect(first.warnings.filter((w) => !/over the model's 512/.test(w.message))).toEqual([]);
    expect(first.errors).toEqual([]);
    expect(first.counts.chapter).toBeGreaterThanOrEqual(5);
    expect(first.counts.section).toBeGreaterThanOrEqual(15);
    expect(first.counts.exercise).toBeGreaterThanOrEqual(40);
    expect(first.files).toEqual(expect.arrayContaining(["notes/01-numbers-logic-sets.txt", "tex/notes.tex", "md/05-optimisation-in-practice.md"]));
    expect(first.written).toBe(true);
  });

  it("stores items and passages that agree with each other", async () => {
    const { items } = await assertConsistent(db, "imo-demo");
    expect(items.filter((i) => i.kind === "exercise").length).toBe(first.counts.exercise);
  });

  it("looks up what students type", async () => {
    const r = await lookupCitation({ db, ref: "ex 1.41(b)" });
    expect(r.status).toBe("found");
    if (r.status !== "found") return;
    expect(r.item).toMatchObject({ label: "Exercise 1.41", kind: "exercise", number: "1.41", part: "b", course: "imo-demo" });
    expect(r.item.section).toMatch(/^Section 1\.6: More on sets/);
    expect(r.item.chapter).toMatch(/^Chapter 1: /);
    if (!("line" in r.item.source)) throw new Error("a text file's source has lines");
    const source = readFileSync(path.join(course, r.item.source.file), "utf8").split("\n");
    expect(source[r.item.source.line - 1]).toMatch(/^Exercise 1\.41/);
    expect(r.item.text.length).toBeGreaterThan(50);
    expect(source.slice(r.item.source.line - 1, r.item.source.endLine).join("\n")).toContain(r.item.text.split("\n")[1]);

    expect((await lookupCitation({ db, ref: "§1.6" })).status).toBe("found");
    expect((await lookupCitation({ db, ref: "Def. 1.42" })).status).toBe("found");
    const ambiguous = await lookupCitation({ db, ref: "1.41" });
    expect(ambiguous.status).toBe("found"); // only one item is numbered 1.41 in a shared-counter chapter
    const missing = await lookupCitation({ db, ref: "Exercise 1.99" });
    expect(missing.status).toBe("not-found");
    if (missing.status === "not-found") expect(missing.suggestions.length).toBeGreaterThan(0);
  });

  it("lists candidates for a bare number several headings and items share", async () => {
    const r = await lookupCitation({ db, ref: "1.6" });
    expect(r.status).toBe("ambiguous");
    if (r.status === "ambiguous") expect(r.candidates.map((c) => c.label)).toEqual(expect.arrayContaining(["Section 1.6"]));
  });

  it("full-text search ranks an explicitly referenced exercise first", async () => {
    const r = await findPassages({ db, question: "I'm stuck on ex 1.41(b), what identity should I use?", k: 5 });
    expect(r.results[0].refs).toContain("Exercise 1.41");
    expect(r.results[0].retrievers).toContain("reference");
  });

  it("re-ingesting unchanged notes rewrites nothing and keeps the same snapshot contents", async () => {
    const again = await ingestCourse({ tex: "none", path: course, db, embedder: null, modelStatus: noModel });
    expect(again.passages).toBe(first.passages);
    expect(again.unchanged).toBe(first.passages);
    expect(again.removed).toBe(0);
  });

  it("picks up an edited exercise and a removed section, while an open snapshot keeps the old text", async () => {
    const before = (await openSnapshot(db))!;
    const file = path.join(course, "notes/02-functions-induction.txt");
    const text = readFileSync(file, "utf8");
    const edited = text.replace(/^(Exercise 2\.3:.*)$/m, "$1 EDITED-MARKER");
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);
    const r = await ingestCourse({ tex: "none", path: course, db, embedder: null, modelStatus: noModel });
    expect(r.unchanged).toBe(r.passages - 1);
    const now = await lookupCitation({ db, ref: "Exercise 2.3" });
    expect(now.status === "found" && now.item.text).toContain("EDITED-MARKER");
    const oldItems = await listCourseItems(before, "imo-demo");
    expect(oldItems.find((i) => i.label === "Exercise 2.3")!.text).not.toContain("EDITED-MARKER");

    // Drop the last section of chapter 2: its passages and items vanish.
    const lines = edited.split("\n");
    const cut = lines.findIndex((l) => l.startsWith("Section 2.5:"));
    writeFileSync(file, lines.slice(0, cut).join("\n"));
    const r2 = await ingestCourse({ tex: "none", path: course, db, embedder: null, modelStatus: noModel });
    expect(r2.removed).toBeGreaterThan(0);
    expect((await lookupCitation({ db, ref: "Section 2.5" })).status).toBe("not-found");
    await assertConsistent(db, "imo-demo");
    writeFileSync(file, text);
    await ingestCourse({ tex: "none", path: course, db, embedder: null, modelStatus: noModel });
  });

  it("sees another process's ingest within seconds, serving the loaded snapshot meanwhile", async () => {
    invalidateSnapshots(db);
    const before = (await openSnapshot(db))!;
    const file = path.join(course, "notes/01-numbers-logic-sets.txt");
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace(/^(Exercise 1\.41:.*)$/m, "$1 OTHER-PROCESS-MARKER"));
    try {
      expect(runCli("ingest", [course, "--db", db]).status).toBe(0); // takes longer than the 1 s refresh interval
      // The loaded snapshot is served at once while the manifest is re-read in the background…
      expect((await openSnapshot(db))!.seq).toBe(before.seq);
      // …and soon the new one.
      let seq = before.seq;
      for (let i = 0; i < 50 && seq === before.seq; i++) {
        await new Promise((r) => setTimeout(r, 100));
        seq = (await openSnapshot(db))!.seq;
      }
      expect(seq).toBeGreaterThan(before.seq);
      const r = await lookupCitation({ db, ref: "Exercise 1.41" });
      expect(r.status === "found" && r.item.text).toContain("OTHER-PROCESS-MARKER");
    } finally {
      writeFileSync(file, text);
      await ingestCourse({ tex: "none", path: course, db, embedder: null, modelStatus: noModel });
    }
  });

  it("removes replaced versions, so the store does not grow with every ingest, but never one a reader may hold", async () => {
    const file = path.join(course, "notes/01-numbers-logic-sets.txt");
    const text = readFileSync(file, "utf8");
    const passagesDir = path.join(db, "passages.lance");
    const countVersions = () => readdirSync(path.join(passagesDir, "_versions")).filter((f) => f.endsWith(".manifest")).length;
    const countFiles = () => readdirSync(path.join(passagesDir, "data")).length;
    const counts: number[][] = [];
    try {
      for (let i = 1; i <= 4; i++) {
        invalidateSnapshots(db);
        const held = (await openSnapshot(db))!;
        writeFileSync(file, text.replace(/^(Exercise 1\.41:.*)$/m, `$1 PRUNE-RUN-${i}`));
        const r = runCli("ingest", [course, "--db", db], { env: { TUTOR_STORE_RETENTION_MINUTES: "0" } });
        expect(r.status).toBe(0);
        counts.push([countVersions(), countFiles()]);
        // The snapshot a reader took before this run still reads: its versions were kept.
        const ids = (await listCourseItems(held, "imo-demo")).slice(0, 3).map((it) => it.passage_id);
        expect((await getPassages(held, ids)).length).toBe(ids.length);
        invalidateSnapshots(db);
        const now = await lookupCitation({ db, ref: "Exercise 1.41" });
        expect(now.status === "found" && now.item.text).toContain(`PRUNE-RUN-${i}`);
      }
      // Bounded: the last runs leave as many versions and data files as the ones before.
      expect(counts[3]).toEqual(counts[2]);
      await assertConsistent(db, "imo-demo");
    } finally {
      writeFileSync(file, text);
      await ingestCourse({ tex: "none", path: course, db, embedder: null, modelStatus: noModel });
    }
  }, 240_000); // four CLI ingests, each compiling the notes with TeX

  for (const point of ["after-passages", "after-index", "after-items", "after-courses"]) {
    it(`a run killed ${point.replace("-", " ")} leaves the previous version readable and complete`, async () => {
      const file = path.join(course, "notes/01-numbers-logic-sets.txt");
      const text = readFileSync(file, "utf8");
      const marker = `KILLED-RUN-${point.toUpperCase()}`;
      writeFileSync(file, text.replace(/^(Exercise 1\.41:.*)$/m, `$1 ${marker}`));
      const killed = runCli("ingest", [course, "--db", db], { env: { TUTOR_TEST_CRASH_AT: point } });
      expect(killed.signal).toBe("SIGKILL");
      invalidateSnapshots(db); // another process wrote: don't wait for the 1 s snapshot refresh
      const r = await lookupCitation({ db, ref: "Exercise 1.41" });
      expect(r.status === "found" && r.item.text).not.toContain(marker);
      await assertConsistent(db, "imo-demo");
      // The next run completes the change.
      const done = runCli("ingest", [course, "--db", db, "--json"]);
      expect(done.status).toBe(0);
      invalidateSnapshots(db);
      const r2 = await lookupCitation({ db, ref: "Exercise 1.41" });
      expect(r2.status === "found" && r2.item.text).toContain(marker);
      await assertConsistent(db, "imo-demo");
      writeFileSync(file, text);
    });
  }
});

describe("bad input gets file:line and a reason, and never corrupts the store", () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  function write(rel: string, content: string | Buffer) {
    const abs = path.join(tmp.dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    return abs;
  }

  it("an empty course is an error with a clear message and exit code 1, no stack trace", () => {
    const dir = path.join(tmp.dir, "empty");
    mkdirSync(dir, { recursive: true });
    write("empty/README.md", "# Not notes\n");
    const r = runCli("ingest", [dir, "--db", path.join(tmp.dir, "db-empty")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error: Nothing usable found/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const json = runCli("ingest", [dir, "--json", "--db", path.join(tmp.dir, "db-empty")]);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout).errors.at(-1).message).toMatch(/Nothing usable/);
  });

  it("a missing path exits 1 with the path named", () => {
    const r = runCli("ingest", [path.join(tmp.dir, "nope")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/No such file or folder: .*nope/);
  });

  it("reports binary, non-UTF-8, unterminated, duplicate, skipped and unknown blocks with file:line", async () => {
    write("messy/notes/ch1.txt", ["Chapter 1: A", "Section 1.1: S", "Exercise 1.1: a", "/Exercise", "Exercise 1.1: dup", "/Exercise", "Exercise 1.4: gap", "/Exercise", "\\begin{mystery}", "x", "\\end{mystery}", "Exercise 1.5: open"].join("\n"));
    write("messy/notes/figure.txt", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    write("messy/notes/latin1.txt", Buffer.concat([Buffer.from("Chapter 2: B\nSection 2.1: x\n"), Buffer.from([0xe6, 0x0a])]));
    write("messy/README.md", "# readme is not notes");
    write("messy/build/out.txt", "Chapter 9: build artefact");
    write("messy/img/plot.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]));
    const r = runCli("ingest", [path.join(tmp.dir, "messy"), "--json", "--db", path.join(tmp.dir, "db-messy")]);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as IngestSummary;
    const w = s.warnings.map((x) => `${x.file}:${x.line}: ${x.message}`);
    expect(w).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^notes\/ch1\.txt:5: duplicate number: Exercise 1\.1 already at notes\/ch1\.txt:3/),
        expect.stringMatching(/^notes\/ch1\.txt:7: skipped number in Chapter 1: Exercise 1\.4 follows Exercise 1\.1 \(1\.2–1\.3 missing\)/),
        expect.stringMatching(/^notes\/ch1\.txt:9: unknown environment "mystery"/),
        expect.stringMatching(/^notes\/ch1\.txt:12: unterminated Exercise 1\.5/),
        expect.stringMatching(/^notes\/figure\.txt:1: binary file/),
        expect.stringMatching(/^notes\/latin1\.txt:3: not valid UTF-8/),
      ]),
    );
    expect(s.files).toEqual(["notes/ch1.txt"]);
    expect(s.skipped).toContainEqual({ file: "README.md", reason: "a README, licence or changelog, not notes" });
    expect(s.counts.chapter).toBe(1);
    const text = runCli("ingest", [path.join(tmp.dir, "messy"), "--check", "--db", path.join(tmp.dir, "db-messy")]);
    expect(text.stderr).toMatch(/^ {2}README\.md.*: a README, licence or changelog, not notes$/m);
  });

  it("--check parses and reports without creating a store", () => {
    write("checkonly/a.txt", "Chapter 1: A\nExercise 1.1: x\n/Exercise\n");
    const db = path.join(tmp.dir, "db-check");
    const r = runCli("ingest", [path.join(tmp.dir, "checkonly"), "--check", "--json", "--db", db]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ check: true, written: false, counts: { exercise: 1 } });
    const cite = runCli("cite", ["Exercise 1.1", "--db", db, "--json"]);
    expect(cite.status).toBe(1);
    expect(JSON.parse(cite.stdout).error).toBe("store-empty");
  });

  it("an invalid course.json is reported at its line and the notes still ingest", async () => {
    write("badjson/course.json", '{\n  "id": "ok",\n  "title": 42\n}\n');
    write("badjson/a.txt", "Chapter 1: A\nExercise 1.1: x\n/Exercise\n");
    const s = await ingestCourse({ tex: "none", path: path.join(tmp.dir, "badjson"), check: true, embedder: null, modelStatus: noModel });
    expect(s.errors).toEqual([expect.objectContaining({ file: "course.json", line: 3, message: expect.stringMatching(/^title: /) })]);
    expect(s.counts.exercise).toBe(1);
  });

  it("an error in the notes writes nothing and keeps the previous store, unless --allow-errors", () => {
    write("keep/course.json", '{ "id": "keep", "title": "Keep" }\n');
    write("keep/a.txt", "Chapter 1: A\nExercise 1.1: the first version\n/Exercise\n");
    const db = path.join(tmp.dir, "db-keep");
    expect(runCli("ingest", [path.join(tmp.dir, "keep"), "--db", db]).status).toBe(0);
    // A trailing comma (invalid JSON) and a new text: the run stops, the old text stays citable.
    write("keep/course.json", '{\n  "id": "keep",\n  "title": "Keep",\n}\n');
    write("keep/a.txt", "Chapter 1: A\nExercise 1.1: the second version\n/Exercise\n");
    const r = runCli("ingest", [path.join(tmp.dir, "keep"), "--db", db]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/course\.json:4:1: error: not valid JSON \(a key in double quotes expected here — a comma before a closing brace is not allowed\)/);
    expect(r.stderr).toMatch(/1 error in the notes: nothing written, the store keeps its previous version/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const cite = JSON.parse(runCli("cite", ["Exercise 1.1", "--db", db, "--json"]).stdout) as { text: string; course: string };
    expect(cite).toMatchObject({ course: "keep", text: expect.stringContaining("the first version") });
    // With --allow-errors what could be read is stored (course.json then counts for nothing).
    const forced = runCli("ingest", [path.join(tmp.dir, "keep"), "--db", db, "--allow-errors", "--course", "keep"]);
    expect(forced.status).toBe(0);
    expect(JSON.parse(runCli("cite", ["Exercise 1.1", "--db", db, "--json"]).stdout).text).toContain("the second version");
  });

  it("course.json: a BOM is fine; missing or outside files and main are errors at their line; --course is checked", async () => {
    write("refs/course.json", '\uFEFF{\n  "files": [\n    "a.txt",\n    "gone.md",\n    "../outside.txt"\n  ],\n  "main": "/etc/passwd"\n}\n');
    write("refs/a.txt", "Chapter 1: A\nExercise 1.1: x\n/Exercise\n");
    const s = await ingestCourse({ tex: "none", path: path.join(tmp.dir, "refs"), check: true, embedder: null, modelStatus: noModel });
    expect(s.errors.map((e) => `${e.file}:${e.line}: ${e.message}`)).toEqual([
      'course.json:4: "gone.md" is listed in files but does not exist in the course folder',
      'course.json:5: "../outside.txt" is outside the course folder; skipped',
      'course.json:7: main "/etc/passwd" is outside the course folder; ignored',
    ]);
    expect(s.counts.exercise).toBe(1);
    const bad = runCli("ingest", [path.join(tmp.dir, "refs"), "--check", "--course", "../x y"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--course "\.\.\/x y" is not a course id/);
  });

  it("LaTeX: unnumbered chapters keep their place, and .tex files the main file never \\input's are left out", () => {
    write("star/tex/main.tex", "\\documentclass{book}\n\\begin{document}\n\\frontmatter\n\\chapter{Preface}\nHi.\n\\mainmatter\n\\input{one}\n% \\input{old}\n\\chapter*{Interlude}\nB.\n\\chapter{Two}\nC.\n\\backmatter\n\\chapter{Afterword}\nD.\n\\end{document}\n");
    write("star/tex/one.tex", "\\chapter{One}\nA.\n");
    write("star/tex/old.tex", "\\chapter{Old}\nZebras.\n");
    const doc = loadCourse({ path: path.join(tmp.dir, "star") });
    expect(doc.chapters.map((c) => `${c.number || "*"} ${c.title}`)).toEqual(["* Preface", "1 One", "* Interlude", "2 Two", "* Afterword"]);
    expect(doc.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([
      "tex/old.tex:1: not \\input or \\include'd by tex/main.tex, so not in the printed notes; skipped",
    ]);
  });

  it("rejects an empty course in the library with a typed error", async () => {
    mkdirSync(path.join(tmp.dir, "empty2"), { recursive: true });
    await expect(ingestCourse({ tex: "none", path: path.join(tmp.dir, "empty2"), embedder: null, modelStatus: noModel })).rejects.toBeInstanceOf(TutorError);
    rmSync(path.join(tmp.dir, "empty2"), { recursive: true });
  });
});
