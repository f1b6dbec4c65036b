/** `loadCourse` on a real folder: which files are notes. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listNoteFiles, loadCourse } from "@/lib/course/load-course";

describe("files beside the notes that are not notes", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tutor-notes-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  // A book repository's licence in the naming such repositories use (CLP-1: LICENSE-CC-by-nc-sa.md), a readme per
  // language, a changelog; a chapter whose name only begins like one of them is still notes.
  write("LICENSE-CC-by-nc-sa.md", "# Attribution-NonCommercial-ShareAlike 4.0\n\n## Section 1 – Definitions\n");
  write("LICENSE", "MIT\n");
  write("docs/README_en.md", "# How to build\n");
  write("CHANGELOG.txt", "Chapter 1: fixed typos\n");
  write("Code_of_Conduct.md", "# Be kind\n");
  write("notes/01-sets.md", "# Chapter 1: Sets\n\n## Section 1.1: Basics\n\nText.\n");
  write("notes/licensing-models.md", "# Chapter 2: Licensing models\n\nText.\n");

  it("skips readme, licence, changelog files in any naming, and names them", () => {
    expect(listNoteFiles(dir)).toEqual(["notes/01-sets.md", "notes/licensing-models.md"]);
    const doc = loadCourse({ path: dir });
    expect(doc.files).toEqual(["notes/01-sets.md", "notes/licensing-models.md"]);
    expect(doc.skipped?.map((k) => k.file).sort()).toEqual(["CHANGELOG.txt", "Code_of_Conduct.md", "docs/README_en.md", "LICENSE", "LICENSE-CC-by-nc-sa.md"].sort());
  });
});
