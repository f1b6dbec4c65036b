import { describe, expect, it } from "vitest";
import { normalizeLabel, openerName, parseTruth, scoreBook, type FoundDiagnostic, type FoundItem, type TruthRow } from "../../../../lib/eval/latex-eval";

const row = (label: string, file: string, line: number, opener = "\\begin{thm}"): TruthRow => {
  const [name, number] = [label.slice(0, label.lastIndexOf(" ")), label.slice(label.lastIndexOf(" ") + 1)];
  return { label, kind: name.toLowerCase(), name, number, file, line, opener };
};
const item = (label: string, file: string, line: number): FoundItem => ({
  kind: label.split(" ")[0].toLowerCase(),
  label,
  number: label.split(" ").at(-1)!,
  file,
  line,
});

describe("scoreBook", () => {
  const truth = [
    row("Theorem 2.1.1", "basics.tex", 10),
    row("Lemma 2.1.2", "basics.tex", 30, "\\begin{lem}"),
    row("Exercise 2.1", "basics.tex", 90, "\\begin{ex}"),
    row("Key Idea 4", "ch1.tex", 5, "\\keyidea"),
    row("Section 2.1", "basics.tex", 1, "\\section"),
  ];

  it("counts exact, far, wrong-number, missing and extra apart", () => {
    const found = [
      item("Theorem 2.1.1", "basics.tex", 12), // within 3: exact
      item("Lemma 2.1.2", "basics.tex", 40), // right number, 10 lines off
      item("Exercise 0.30", "basics.tex", 91), // at the place, wrong number
      item("Theorem 9.9", "basics.tex", 200), // not printed: extra
      item("Section 2.1", "basics.tex", 1),
      item("Subsection 2.1.1", "basics.tex", 5), // the truth lists no subsections: not an extra
      { kind: "chapter", label: "Preface", number: "", file: "preface.tex", line: 1 }, // unnumbered: not an extra
    ];
    const s = scoreBook(truth, found, []);
    expect(s.items).toEqual({ truth: 4, rightNumber: 2, exact: 1, wrongNumber: 1, missing: 1, extra: 1, missesCovered: 0 });
    expect(s.headings).toMatchObject({ truth: 1, exact: 1, extra: 0 });
    expect(s.rows.map((r) => r.verdict)).toEqual(["exact", "far", "wrong-number", "missing", "exact"]);
    expect(s.byName.Lemma).toEqual({ truth: 1, exact: 0 });
  });

  it("a miss is covered by a diagnostic at its place or naming its opener, not by an unrelated one", () => {
    const diagnostics: FoundDiagnostic[] = [
      { severity: "warning", file: "basics.tex", line: 92, message: "numbering restarts" },
      { severity: "warning", file: "style.sty", line: 455, message: "\\keyidea steps counter keyidea: 12 numbered items may be missing" },
      { severity: "warning", file: "basics.tex", line: 300, message: "unknown environment lemma-like" },
      { severity: "warning", file: "basics.tex", line: 400, message: "\\ref{x-lem-y}: label \"x-lem-y\" is not defined" },
    ];
    const s = scoreBook(truth, [item("Theorem 2.1.1", "basics.tex", 10), item("Section 2.1", "basics.tex", 1)], diagnostics);
    const byLabel = Object.fromEntries(s.rows.map((r) => [r.row.label, r]));
    expect(byLabel["Exercise 2.1"].coveredBy?.line).toBe(92);
    expect(byLabel["Key Idea 4"].coveredBy?.file).toBe("style.sty");
    // "lemma-like" and "x-lem-y" are not the opener "lem", and lines 300, 400 are far from line 30.
    expect(byLabel["Lemma 2.1.2"].covered).toBe(false);
    expect(s.items.missesCovered).toBe(2);
    const named = scoreBook([row("Lemma 2.1.2", "basics.tex", 30, "\\begin{lem}")], [], [{ severity: "warning", file: "m.tex", line: 9, message: 'unknown environment "lem"' }]);
    expect(named.rows[0].covered).toBe(true);
  });

  it("labels compare as printed, whatever the case, spacing or dash", () => {
    expect(normalizeLabel("Exercise  2–1")).toBe(normalizeLabel("exercise 2-1"));
    expect(normalizeLabel("Problem 1D⋆")).toBe("problem 1d");
    expect(normalizeLabel("Problem 1F$^{\\dagger }$")).toBe("problem 1f");
    const s = scoreBook([row("Guided Practice 1.6", "a.tex", 3, "\\begin{nexercise}")], [{ ...item("guided practice 1.6", "a.tex", 3), kind: "exercise" }], []);
    expect(s.items.exact).toBe(1);
  });

  it("opener names: environments by name, macros without the backslash", () => {
    expect(openerName("\\begin{thm}")).toBe("thm");
    expect(openerName("\\eoce")).toBe("eoce");
  });
});

describe("parseTruth", () => {
  it("names the bad line", () => {
    const good = JSON.stringify(row("Theorem 1.1", "a.tex", 1));
    expect(parseTruth(`${good}\n\n${good}\n`, "t.jsonl")).toHaveLength(2);
    expect(() => parseTruth(`${good}\n{"label": "x"}\n`, "t.jsonl")).toThrow(/^t\.jsonl:2: /);
  });
});
