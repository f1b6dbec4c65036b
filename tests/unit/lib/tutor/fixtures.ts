import type { SearchResult } from "@/lib/retrieve/search";
import type { ItemRow } from "@/lib/store/schema";
import { formatLabel } from "@/lib/course/labels";
import type { CitableKind } from "@/lib/course/types";


/** A minimal course item row. */
export function item(kind: CitableKind, number: string, extra: Partial<ItemRow> = {}): ItemRow {
  const label = formatLabel(kind, number);
  return {
    id: `demo/${label}`,
    course: "demo",
    kind,
    number,
    label,
    title: "",
    text: `${label}: text`,
    chapter: "Chapter 1",
    chapter_title: "Numbers",
    section: "Section 1.6",
    section_title: "More on sets",
    path: "Chapter 1: Numbers › Section 1.6: More on sets",
    parts: kind === "exercise" ? "a,b" : "",
    passage_id: "demo/Section 1.6#0",
    file: "notes.txt",
    line: 1,
    end_line: 2,
    ord: 0,
    hash: "",
    ...extra,
  };
}

/** The demo-like course: Chapter 1, Sections 1.5–1.6, Subsection 1.6.1, Exercises 1.41–1.45, Definition 1.42, Theorem 1.40. */
export const ITEMS: ItemRow[] = [
  item("chapter", "1"),
  item("section", "1.5"),
  item("section", "1.6"),
  item("subsection", "1.6.1"),
  item("theorem", "1.40"),
  item("exercise", "1.41"),
  item("definition", "1.42"),
  item("exercise", "1.43"),
  item("exercise", "1.44"),
  item("exercise", "1.45"),
];

export function passage(over: Partial<SearchResult> = {}): SearchResult {
  return {
    id: "demo/Section 1.6#0",
    label: "Section 1.6",
    title: "More on sets",
    kind: "section",
    section: "Section 1.6",
    headingPath: "Chapter 1: Numbers › Section 1.6: More on sets",
    refs: ["Exercise 1.41", "Definition 1.42"],
    score: 1,
    retrievers: ["fulltext"],
    source: { file: "notes.txt", line: 1, endLine: 10 },
    text: "Chapter 1: Numbers › Section 1.6: More on sets\n\nExercise 1.41: Prove that $A \\setminus (B \\cup C) = (A \\setminus B) \\cap (A \\setminus C)$.\n\nDefinition 1.42: A set is …",
    ...over,
  };
}
