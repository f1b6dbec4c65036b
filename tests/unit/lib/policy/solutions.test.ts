/** course.json's `solutions` policy: checked like the other keys, resolved per exercise over the notes. */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listItems } from "@/lib/course/items";
import { loadCourse, parseCourseJson } from "@/lib/course/load-course";
import type { Diagnostic } from "@/lib/course/types";
import { resolveSolutions } from "@/lib/policy/solutions";
import { POLICY_COURSE } from "../../../support/policy-fixture";

function check(solutions: string) {
  const text = `{\n  "id": "c",\n  "solutions": ${solutions}\n}\n`;
  const diagnostics: Diagnostic[] = [];
  const read = parseCourseJson(text, diagnostics);
  return { read, diagnostics, text };
}

describe("parsing and validating `solutions`", () => {
  it("accepts a default, bare policies and rules with a release date, under labels as students type them", () => {
    const { read, diagnostics } = check(`{ "default": "hidden", "Ex 1.41": "hints-only", "Section 2.1": { "policy": "hidden", "release": "2026-12-12" } }`);
    expect(diagnostics).toEqual([]);
    expect(read.solutions?.rules.map((r) => [r.key, r.label, r.solutions, r.release])).toEqual([
      ["default", "default", "hidden", undefined],
      ["Ex 1.41", "Exercise 1.41", "hints-only", undefined],
      ["Section 2.1", "Section 2.1", "hidden", "2026-12-12"],
    ]);
    expect(read.id).toBe("c");
  });

  it("reports each mistake at course.json:line:column with a did-you-mean, and then uses no setting", () => {
    const { read, diagnostics, text } = check(
      `{\n    "defualt": "open",\n    "Exercise 1.41": "hint-only",\n    "Exrcise 1.42": "hidden",\n    "Theorem 1.3": "hidden",\n    "Section 2.1": { "policy": "hidden", "relase": "2026-12-12" },\n    "Section 2.2": { "policy": "hidden", "release": "2026-02-30" },\n    "Section 2.3": { "release": "2026-12-12" },\n    "Ex 1.41": "open"\n  }`,
    );
    expect(read).toEqual({});
    const at = (needle: string) => {
      const offset = text.indexOf(needle);
      const before = text.slice(0, offset).split("\n");
      return { line: before.length, column: before.at(-1)!.length + 1 };
    };
    const errors = diagnostics.map((d) => ({ line: d.line, column: d.column, severity: d.severity, message: d.message }));
    expect(errors).toEqual([
      { ...at(`"defualt"`), severity: "error", message: expect.stringContaining(`did you mean "default"?`) },
      { ...at(`"hint-only"`), severity: "error", message: expect.stringContaining(`"hint-only" is not a policy ("open", "hints-only", "hidden") — did you mean "hints-only"?`) },
      { ...at(`"Exrcise 1.42"`), severity: "error", message: expect.stringContaining(`did you mean "Exercise 1.42"?`) },
      { ...at(`"Theorem 1.3"`), severity: "error", message: expect.stringContaining("not to a theorem") },
      { ...at(`"relase"`), severity: "error", message: expect.stringContaining(`unknown key "relase" — did you mean "release"?`) },
      { ...at(`"2026-02-30"`), severity: "error", message: expect.stringContaining("YYYY-MM-DD") },
      { ...at(`{ "release": "2026-12-12" }`), severity: "error", message: expect.stringContaining(`names no "policy"`) },
      { ...at(`"Ex 1.41"`), severity: "error", message: expect.stringContaining(`names Exercise 1.41 again (already given as "Exercise 1.41")`) },
    ]);
    for (const d of diagnostics) expect(d.file).toBe("course.json");
  });

  it("refuses a value that is not an object", () => {
    const { read, diagnostics } = check(`"hints-only"`);
    expect(read).toEqual({});
    expect(diagnostics[0]).toMatchObject({ severity: "error", line: 3, message: expect.stringContaining("solutions: must be an object") });
  });

  it("warns, without refusing, about a release date on an open policy", () => {
    const { read, diagnostics } = check(`{ "Section 1.1": { "policy": "open", "release": "2026-12-12" } }`);
    expect(read.solutions?.rules).toHaveLength(1);
    expect(diagnostics).toMatchObject([{ severity: "warning", message: expect.stringContaining("does nothing") }]);
  });
});

describe("resolving the policy over the notes", () => {
  const doc = loadCourse({ path: POLICY_COURSE });

  it("gives every exercise the most specific rule: the exercise, its section, its chapter, then the default", () => {
    expect(doc.diagnostics).toEqual([]);
    const byLabel = Object.fromEntries(doc.solutions!.exercises.map((e) => [e.label, [e.solutions, e.from, e.release ?? null]]));
    expect(byLabel).toEqual({
      "Exercise 1.2": ["hints-only", "Exercise 1.2", "2099-12-12"],
      "Exercise 1.3": ["open", "default", null],
      "Exercise 1.4": ["hints-only", "Exercise 1.4", null],
      "Exercise 1.5": ["hints-only", "Exercise 1.5", "2026-01-15"],
      "Exercise 1.6": ["hidden", "Section 1.2", null],
      "Exercise 2.1": ["hints-only", "Chapter 2", null],
      "Exercise 2.2": ["open", "Exercise 2.2", null],
    });
    // Every exercise of the notes is listed, in order; only the withheld ones are stored.
    expect(doc.solutions!.exercises.map((e) => e.label)).toEqual(listItems(doc).filter((i) => i.kind === "exercise").map((i) => i.label));
    expect(Object.keys(doc.solutions!.policies)).toEqual(["Exercise 1.2", "Exercise 1.4", "Exercise 1.5", "Exercise 1.6", "Exercise 2.1"]);
  });

  it("warns about labels the notes do not have, at their key in course.json, with the nearest labels", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tutor-policy-"));
    try {
      cpSync(POLICY_COURSE, dir, { recursive: true });
      const json = `{\n  "id": "x",\n  "files": ["notes/01-sets.txt", "md/02-functions.md"],\n  "solutions": {\n    "Exercise 1.9": "hidden",\n    "Section 3.1": "hidden"\n  }\n}\n`;
      writeFileSync(path.join(dir, "course.json"), json);
      const other = loadCourse({ path: dir });
      expect(other.diagnostics).toEqual([
        { severity: "warning", file: "course.json", line: 5, column: 5, message: expect.stringContaining("the notes have no Exercise 1.9, so \"Exercise 1.9\" applies to nothing (the nearest are Exercise 1.6, Exercise 1.5, Exercise 1.4)") },
        { severity: "warning", file: "course.json", line: 6, column: 5, message: expect.stringContaining("(the nearest are Section 2.1, Section 1.2, Section 1.1)") },
      ]);
      expect(other.solutions!.exercises.every((e) => e.solutions === "open")).toBe(true);
      expect(resolveSolutions(other.chapters, undefined).policies).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
