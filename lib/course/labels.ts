import type { CitableKind, KnownCitableKind } from "./types";

/** The printed name of each kind, as used in labels ("Exercise 1.41"). */
export const KIND_NAMES: Record<KnownCitableKind, string> = {
  chapter: "Chapter",
  section: "Section",
  subsection: "Subsection",
  exercise: "Exercise",
  definition: "Definition",
  theorem: "Theorem",
  lemma: "Lemma",
  proposition: "Proposition",
  corollary: "Corollary",
  example: "Example",
  remark: "Remark",
};

/** "exercise", "1.41" → "Exercise 1.41"; a kind the notes named themselves is its printed name ("Key Idea 4"). */
export function formatLabel(kind: CitableKind, number: string): string {
  return `${KIND_NAMES[kind as KnownCitableKind] ?? kind} ${number}`;
}

/** "Exercise" / "exercise" → "exercise"; undefined for names that are not a citable kind. */
export function kindFromName(name: string): KnownCitableKind | undefined {
  const lower = name.trim().toLowerCase();
  for (const [kind, printed] of Object.entries(KIND_NAMES)) {
    if (printed.toLowerCase() === lower) return kind as KnownCitableKind;
  }
  return undefined;
}
