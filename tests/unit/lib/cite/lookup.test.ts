/** `resolveRef`, the pure part of a citation lookup, over a course's item rows. */
import { describe, expect, it } from "vitest";
import { resolveRef } from "@/lib/cite/lookup";
import type { ItemRow } from "@/lib/store/schema";

function row(kind: string, number: string, label: string): ItemRow {
  return { id: label, course: "c", kind, number, label, title: "", text: "", chapter: number.split(".")[0], chapter_title: "", section: "", section_title: "", path: "", parts: "", passage_id: `c/${label}`, file: "f.tex", line: 1, end_line: 1, ord: 0, hash: "" };
}

describe("resolveRef: a book's appendices (chapters printed 'Appendix A')", () => {
  const items = [row("chapter", "2", "Chapter 2"), row("chapter", "A", "Appendix A"), row("section", "A.1", "Section A.1")];
  const found = (q: string) => {
    const r = resolveRef(items, q);
    return r.status === "found" ? r.item.label : r.status;
  };

  it("is found as printed, and as typed otherwise: appendix a, Chapter A", () => {
    expect(found("Appendix A")).toBe("Appendix A");
    expect(found("appendix A")).toBe("Appendix A");
    expect(found("Chapter A")).toBe("Appendix A");
    expect(found("Appendix A.1")).toBe("Section A.1");
  });

  it("'Appendix 2' is not Chapter 2", () => {
    expect(found("Appendix 2")).toBe("not-found");
  });
});

describe("resolveRef: the nearest labels to one the course lacks", () => {
  it("are numbered items close to it, never an unnumbered one (the front matter under the book's title, a preface)", () => {
    const items = [row("chapter", "", "A Cool Walk"), row("chapter", "", "Preface"), row("exercise", "2.13.40", "Exercise 2.13.40"), row("exercise", "2.13.41", "Exercise 2.13.41"), row("section", "2.13", "Section 2.13")];
    const r = resolveRef(items, "Exercise 2.13.99");
    expect(r.status === "not-found" ? r.suggestions : r.status).toEqual(["Exercise 2.13.41", "Exercise 2.13.40", "Section 2.13"]);
  });
});
