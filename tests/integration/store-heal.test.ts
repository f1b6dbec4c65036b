import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lookupCitation } from "@/lib/cite/lookup";
import { TutorError } from "@/lib/errors";
import { getHealth } from "@/lib/health";
import { ingestCourse } from "@/lib/ingest/ingest-course";
import { findPassages } from "@/lib/retrieve/search";
import { invalidateSnapshots, openSnapshot } from "@/lib/store/read";
import { copyDemoCourse, runCli, tempDir } from "./helpers";

/**
 * Issue 13, finding 4: one corrupt version file or deleted data files took the app down for good, and
 * `ingest --rebuild` could not recover. Real LanceDB in a temp dir, damaged the way a disk or a person would.
 */

const noModel = { available: false, modelId: "none", reason: "test: full-text only" };

/** The newest version file of a table (Lance's V2 names: u64::MAX − version, so the newest sorts first). */
function newestVersionFile(db: string, table: string): string {
  const dir = path.join(db, `${table}.lance`, "_versions");
  const files = readdirSync(dir).filter((f) => f.endsWith(".manifest"));
  const v2 = files.some((f) => f.length === "18446744073709551615.manifest".length);
  files.sort((a, b) => (BigInt(a.split(".")[0]) < BigInt(b.split(".")[0]) ? -1 : 1));
  return path.join(dir, v2 ? files[0] : files[files.length - 1]);
}

/** The version file of one version (V2 naming). */
function versionFile(db: string, table: string, version: number): string {
  return path.join(db, `${table}.lance`, "_versions", `${(2n ** 64n - 1n - BigInt(version)).toString()}.manifest`);
}

async function storeError(p: Promise<unknown>): Promise<TutorError> {
  try {
    await p;
  } catch (e) {
    return e as TutorError;
  }
  throw new Error("expected the store to be unreadable");
}

describe("a damaged store heals", () => {
  const tmp = tempDir();
  let course: string;
  let db: string;
  const exercise = () => lookupCitation({ db, ref: "Exercise 2.3" });

  beforeAll(async () => {
    course = copyDemoCourse(tmp.dir);
    db = path.join(tmp.dir, "db");
    await ingestCourse({ tex: "none", path: course, db, embedder: null, modelStatus: noModel });
    // A second version of the notes, so the store holds two complete versions.
    const file = path.join(course, "notes/02-functions-induction.txt");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^(Exercise 2\.3:.*)$/m, "$1 SECOND-VERSION"));
    await ingestCourse({ tex: "none", path: course, db, embedder: null, modelStatus: noModel });
    const r = await exercise();
    expect(r.status === "found" && r.item.text).toContain("SECOND-VERSION");
  });
  afterAll(() => tmp.cleanup());

  it("garbage in the items table's newest version file (the issue's repro): the app still reads", async () => {
    writeFileSync(newestVersionFile(db, "items"), "this is not a lance manifest");
    invalidateSnapshots(db);
    expect((await exercise()).status).toBe("found");
  });

  it("garbage in the version the newest manifest row pins: readers serve the last complete version", async () => {
    const pinned = await (await openSnapshot(db))!.items.version();
    writeFileSync(versionFile(db, "items", pinned), "this is not a lance manifest");
    invalidateSnapshots(db);
    const snap = (await openSnapshot(db))!;
    expect(snap.seq).toBeLessThan(snap.newestSeq);
    const r = await exercise();
    expect(r.status).toBe("found");
    expect(r.status === "found" && r.item.text).not.toContain("SECOND-VERSION");
    const health = await getHealth(db);
    expect(health.readable).toBe(true);
    expect(health.store.servingEarlierVersion).toBe(true);
  });

  it("ingest --rebuild then brings the newest notes back", async () => {
    const run = runCli("ingest", [course, "--db", db, "--rebuild"]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.status).toBe(0);
    invalidateSnapshots(db);
    const snap = (await openSnapshot(db))!;
    expect(snap.seq).toBe(snap.newestSeq);
    const r = await exercise();
    expect(r.status === "found" && r.item.text).toContain("SECOND-VERSION");
  });

  it("garbage in the manifest table's own newest version file is healed too", async () => {
    writeFileSync(newestVersionFile(db, "manifest"), "garbage");
    invalidateSnapshots(db);
    expect((await exercise()).status).toBe("found");
    expect(runCli("ingest", [course, "--db", db]).status).toBe(0);
  });

  it("deleted data files: store-unavailable with a reason and no path; health unreadable; only --rebuild recovers", async () => {
    // A loaded snapshot, then the files go: health reads every table, so it notices (it said ok before).
    await openSnapshot(db);
    const data = path.join(db, "passages.lance", "data");
    for (const f of readdirSync(data)) rmSync(path.join(data, f));
    const health = await getHealth(db);
    expect(health.readable).toBe(false);
    expect(health.ok).toBe(false);
    expect(JSON.stringify(health)).not.toContain(tmp.dir);

    invalidateSnapshots(db);
    const err = await storeError(openSnapshot(db));
    expect(err).toBeInstanceOf(TutorError);
    expect(err.code).toBe("store-unavailable");
    expect(err.message).toMatch(/--rebuild/);
    expect(err.message).not.toContain(tmp.dir);

    const plain = runCli("ingest", [course, "--db", db]);
    expect(plain.status).not.toBe(0);
    expect(plain.stderr).toMatch(/--rebuild/);
    expect(plain.stderr).not.toMatch(/\n\s+at /);

    const rebuilt = runCli("ingest", [course, "--db", db, "--rebuild"]);
    expect(rebuilt.status).toBe(0);
    invalidateSnapshots(db);
    const found = await findPassages({ db, question: "Exercise 2.3", k: 3 });
    expect(found.results[0].refs).toContain("Exercise 2.3");
    expect((await getHealth(db)).readable).toBe(true);
  });

  it("the store folder gone under a running reader: health says unreadable, not ok", async () => {
    await openSnapshot(db);
    rmSync(db, { recursive: true, force: true });
    // Past the 2 s for which health trusts its last full read of a snapshot.
    await new Promise((r) => setTimeout(r, 2100));
    const health = await getHealth(db);
    expect(health.readable).toBe(false);
    expect(health.ok).toBe(false);
  });
});
