import { ITEM_KINDS } from "./types";

/**
 * Files that sit in a course folder with a notes extension but are not notes, told by what they contain:
 * a `.txt` is the plain-text export only when it carries the export's markers (a video transcript or a
 * word list does not); an exam, a test or its solutions says so in its title; slides (beamer) beside a
 * LaTeX book are not the book. Returns why the file is not notes, or undefined.
 */
export function whyNotNotes(file: string, text: string): string | undefined {
  const ext = file.slice(file.lastIndexOf(".")).toLowerCase();
  const head = text.slice(0, 4000);
  if (ext === ".txt" && !EXPORT_MARKER_RE.test(text)) {
    return `plain text without the export's markers ("Chapter 1: …", "Exercise 1.41: …" … "/Exercise"): a transcript or other text, not notes`;
  }
  const title = titleOf(ext, head);
  if (title && EXAM_RE.test(title)) return `an exam, test or solutions (its title: "${title.slice(0, 80)}"), not notes`;
  return undefined;
}

/** A LaTeX main file that is slides: `\documentclass{beamer}`. */
export function isSlides(text: string): boolean {
  return /^[^%\n]*\\documentclass\s*(\[[^\]]*\])?\s*\{beamer\}/m.test(text);
}

const NAMES = ["Chapter", "Section", ...ITEM_KINDS.map((k) => k[0].toUpperCase() + k.slice(1))].join("|");
const EXPORT_MARKER_RE = new RegExp(`^(?:(?:${NAMES})\\s+[0-9A-Z]+(?:\\.[0-9]+)*\\s*(?:\\([^)]*\\))?\\s*:|/(?:${NAMES})\\s*$)`, "m");
const EXAM_RE = /\b(exam|examination|midterm|mid-term|final test|re-?exam|quiz \d|test \d|solutions?|answer key|eksamen|løsning(er)?)\b/i;

function titleOf(ext: string, head: string): string | undefined {
  if (ext === ".md" || ext === ".markdown") return /^#\s+(.+)$/m.exec(head)?.[1]?.trim() ?? /^title:\s*(.+)$/m.exec(head)?.[1]?.trim();
  if (ext === ".tex") return /\\title\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}/.exec(head)?.[1]?.trim();
  return undefined;
}
