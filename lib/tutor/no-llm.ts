import { parseRef } from "../cite/refs";
import type { SearchResult } from "../retrieve/search";
import { absentSentence, isCitable, passageLabel } from "./prompt";

/** How many passages the no-LLM answer quotes, and how much of each. */
const QUOTED_PASSAGES = 3;
const QUOTE_CHARS = 1200;
const RELATED_EXERCISES = 8;

/** The passage text without its first line when that line repeats the heading path, cut at a line end. */
function quoteText(p: Pick<SearchResult, "text" | "headingPath">): string {
  let text = p.text.trim();
  if (text.startsWith(p.headingPath)) text = text.slice(p.headingPath.length).trim();
  if (text.length > QUOTE_CHARS) {
    const cut = text.lastIndexOf("\n", QUOTE_CHARS);
    text = `${text.slice(0, cut > QUOTE_CHARS / 2 ? cut : QUOTE_CHARS).trimEnd()}\n…`;
  }
  let fenced = false;
  return text
    // A figure's image line (`![figure](<file>)`): answers show no images, and its caption follows it.
    .replace(/^!\[[^\]\n]*\]\([^\n]*\)\n*/gm, "")
    .split("\n")
    .map((l) => {
      if (/^\s*```/.test(l)) fenced = !fenced;
      // Indentation (a nested list item) would make a Markdown code block; only fenced code keeps it.
      const line = fenced ? l : l.trimStart();
      return line.trim() ? `> ${line}` : ">";
    })
    .join("\n");
}

/**
 * The answer when no LLM is configured: the top passages quoted with their citations, the exercises they
 * hold, and a pointer to the ready prompt (sent as its own data part). Markdown, streamed like an LLM answer.
 */
export function buildNoLlmAnswer(opts: { results: SearchResult[]; outOfScope: boolean; absent?: { label: string; nearest: string[] }[] }): string {
  const lines: string[] = [];
  // A label the notes lack is said first, with the nearest real ones (as chips), so no passage is taken for it.
  if (opts.absent?.length) lines.push(absentSentence(opts.absent.map((a) => ({ label: a.label, nearest: a.nearest.map((n) => `[${n}]`) }))), "");
  if (!opts.results.length) {
    lines.push("The notes do not seem to cover this question: no passage of the notes matched it.");
    lines.push("", "No language model is configured for this tutor. You can copy the prompt below into a chatbot of your choice.");
    return lines.join("\n");
  }
  lines.push(
    opts.outOfScope
      ? "The notes do not seem to cover this question. No language model is configured for this tutor; these are the closest passages of the notes. " +
          "You can copy the prompt below into a chatbot of your choice."
      : "No language model is configured for this tutor, so here are the passages of the notes that best match your question. " +
          "For a worked answer, copy the prompt below into a chatbot of your choice.",
  );
  for (const p of opts.results.slice(0, QUOTED_PASSAGES)) {
    const label = isCitable(passageLabel(p)) ? passageLabel(p) : "";
    const heading = [label ? `[${label}]` : p.headingPath, p.title && p.title !== p.label ? p.title : isCitable(p.label) ? "" : p.label].filter(Boolean).join(" ");
    lines.push("", `### ${heading}`, "", quoteText(p));
    if (p.refs.length) lines.push("", `Inside: ${p.refs.map((r) => `[${r}]`).join(", ")}`);
  }
  const exercises = [...new Set(opts.results.flatMap((p) => p.refs).filter((r) => parseRef(r)?.kind === "exercise"))].slice(0, RELATED_EXERCISES);
  if (exercises.length) lines.push("", `Related exercises: ${exercises.map((e) => `[${e}]`).join(", ")}`);
  return lines.join("\n");
}
