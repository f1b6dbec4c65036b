import { nextRef, normaliseRefText, parseRef, refLabel } from "../cite/refs";
import type { SearchResult } from "../retrieve/search";
import type { ItemRow } from "../store/schema";
import { PASSAGE_HEADING, RELATED_PREFIX } from "./no-llm-layout";
import { absentSentence, isCitable, passageLabel } from "./prompt";

/** How many passages the no-LLM answer quotes, and how much of each. */
const QUOTED_PASSAGES = 3;
const QUOTE_CHARS = 1200;
/** The best passage is shown whole (the chat folds the others): only a very long one is cut. */
const FIRST_QUOTE_CHARS = 6000;
const RELATED_EXERCISES = 8;

/** Worked solutions as the notes mark them (LaTeX environment, Markdown directive); hint mode leaves them out. */
const SOLUTION_RE = /\\begin\{(solution|proof)\}[\s\S]*?\\end\{\1\}\s*|^:::+\s*(?:solution|proof)\b[^\n]*\n[\s\S]*?^:::+[ \t]*$\n?/gm;
const SOLUTION_ONLY_RE = /\\begin\{solution\}[\s\S]*?\\end\{solution\}\s*|^:::+\s*solution\b[^\n]*\n[\s\S]*?^:::+[ \t]*$\n?/gm;

/** The passage text without its first line when that line repeats the heading path, cut at a line end. */
function quoteText(p: Pick<SearchResult, "text" | "headingPath">, opts: { noSolutions?: RegExp; maxChars?: number } = {}): string {
  const max = opts.maxChars ?? QUOTE_CHARS;
  let text = p.text.trim();
  if (text.startsWith(p.headingPath)) text = text.slice(p.headingPath.length).trim();
  if (opts.noSolutions) text = text.replace(opts.noSolutions, "").trim();
  if (text.length > max) {
    const cut = text.lastIndexOf("\n", max);
    text = `${text.slice(0, cut > max / 2 ? cut : max).trimEnd()}\n…`;
  }
  let fenced = false;
  return text
    // Markdown notes' boxes (":::hint" … ":::"), which answers do not render: a bold lead-in, as for \begin{hint}.
    .replace(/^:::+[ \t]*(hint|quiz|proof|solution|remark)\b[^\n]*$/gim, (_m, name: string) => `**${name[0].toUpperCase()}${name.slice(1).toLowerCase()}.**`)
    .replace(/^:::+[ \t]*$\n?/gm, "")
    // A figure's image line (`![figure](<file>)`): answers show no images, and its caption follows it.
    .replace(/^!\[[^\]\n]*\]\([^\n]*\)\n*/gm, "")
    .trimEnd()
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
 * The exercise a hint request is about: the first exercise the question names (a follow-up's resolved
 * question names the exercise of the earlier turn) that the course has.
 */
function exerciseAskedAbout(question: string, items: ItemRow[]): ItemRow | undefined {
  const byLabel = new Map(items.map((i) => [i.label, i]));
  const text = normaliseRefText(question);
  for (let r = nextRef(text); r; r = nextRef(text, r.index + r.match.length)) {
    const label = r.kind === "exercise" ? refLabel(r) : null;
    if (label && byLabel.has(label)) return byLabel.get(label);
  }
  return undefined;
}

/**
 * The answer when no LLM is configured: the best passages quoted with their citations (best first; the chat
 * shows it whole and folds the others, lib/tutor/no-llm-layout.ts), the exercises they hold, and a pointer to
 * the ready prompt (sent as its own data part). Markdown, streamed like an LLM answer. In hint mode, when the
 * question names an exercise, it is that exercise with the notes' hints, never a worked solution; otherwise the
 * passages with their solutions left out.
 */
export function buildNoLlmAnswer(opts: {
  results: SearchResult[];
  outOfScope: boolean;
  absent?: { label: string; nearest: string[] }[];
  hint?: boolean;
  question?: string;
  items?: ItemRow[];
}): string {
  const exercise = opts.hint ? exerciseAskedAbout(opts.question ?? "", opts.items ?? []) : undefined;
  if (exercise) return hintAnswer(exercise, opts.absent);
  return passagesAnswer(opts);
}

function hintAnswer(exercise: ItemRow, absent?: { label: string; nearest: string[] }[]): string {
  const lines: string[] = [];
  if (absent?.length) lines.push(absentSentence(absent.map((a) => ({ label: a.label, nearest: a.nearest.map((n) => `[${n}]`) }))), "");
  const text = exercise.text.replace(SOLUTION_RE, "").trim();
  const hasHint = /\\begin\{hint\}|^:::+\s*hint\b/m.test(text);
  // The solutions policy left its notice where it took a block out (lib/policy/withhold.ts).
  const withheld = /^Solution withheld: /m.test(text);
  lines.push(
    `No language model is configured for this tutor. Hint mode: here is [${exercise.label}] with ${hasHint ? "the hints the notes give" : withheld ? "no hint (your instructor has not released them)" : "no hint in the notes"}, ` +
      "and no worked solution. For guided help, copy the prompt below into a chatbot of your choice.",
  );
  const where = exercise.section ? ` (in [${exercise.section}])` : "";
  lines.push("", `${PASSAGE_HEADING}[${exercise.label}]${exercise.title ? ` ${exercise.title}` : ""}${where}`, "", quoteText({ text, headingPath: "" }));
  return lines.join("\n");
}

function passagesAnswer(opts: { results: SearchResult[]; outOfScope: boolean; absent?: { label: string; nearest: string[] }[]; hint?: boolean }): string {
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
  for (const [i, p] of opts.results.slice(0, QUOTED_PASSAGES).entries()) {
    const label = isCitable(passageLabel(p)) ? passageLabel(p) : "";
    const heading = [label ? `[${label}]` : p.headingPath, p.title && p.title !== p.label ? p.title : isCitable(p.label) ? "" : p.label].filter(Boolean).join(" ");
    lines.push("", `${PASSAGE_HEADING}${heading}`, "", quoteText(p, { noSolutions: opts.hint ? SOLUTION_ONLY_RE : undefined, maxChars: i === 0 ? FIRST_QUOTE_CHARS : QUOTE_CHARS }));
    if (p.refs.length) lines.push("", `Inside: ${p.refs.map((r) => `[${r}]`).join(", ")}`);
  }
  const exercises = [...new Set(opts.results.flatMap((p) => p.refs).filter((r) => parseRef(r)?.kind === "exercise"))].slice(0, RELATED_EXERCISES);
  if (exercises.length) lines.push("", `${RELATED_PREFIX} ${exercises.map((e) => `[${e}]`).join(", ")}`);
  return lines.join("\n");
}
