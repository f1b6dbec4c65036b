import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Test and bench aid: marks two passages of two chapters of a copy of the demo course with the same release
 * word (`rel<k>mark`). A search for "release marker" finds both; an answer holding two different release words
 * mixes two store versions.
 */
const SPOTS: [file: string, after: string][] = [
  ["notes/01-numbers-logic-sets.txt", "so that you can compare them."],
  ["notes/02-functions-induction.txt", "(or the rule, as little as possible) so that it does."],
];

export const MARKER_QUERY = "release marker";

export function setReleaseMarker(course: string, k: number): void {
  for (const [file, after] of SPOTS) {
    const p = path.join(course, file);
    const text = readFileSync(p, "utf8").replace(/ Release marker rel\d+mark\./g, "");
    if (!text.includes(after)) throw new Error(`release marker: "${after}" not found in ${file}`);
    writeFileSync(p, text.replace(after, `${after} Release marker rel${k}mark.`));
  }
}

/** The release numbers in a /api/search answer's passages (one distinct number: one version). */
export function releasesIn(search: { results?: { text?: string }[] }): number[] {
  const found = new Set<number>();
  for (const r of search.results ?? []) for (const m of (r.text ?? "").matchAll(/rel(\d+)mark/g)) found.add(Number(m[1]));
  return [...found].sort((a, b) => a - b);
}
