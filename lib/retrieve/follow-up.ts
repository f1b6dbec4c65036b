import { extractRefs, refLabel } from "../cite/refs";
import { resolveQuestionRefs, type AbsentLabel } from "./question-refs";
import type { ItemRow } from "../store/schema";
import { topicTerms } from "./terms";

/** A previous turn of the conversation, for follow-up questions ("and part (b)?"). */
export interface HistoryTurn {
  role: "user" | "assistant";
  text: string;
  /** Labels the turn cited or was about ("Exercise 1.41"). */
  citations?: string[];
}

export interface ResolvedQuestion {
  /** Text for full-text and dense search: the question, plus what a follow-up refers to. */
  query: string;
  /** Labels named in the question itself (they exist in the course), in order. Rank first. */
  explicit: { label: string; part?: string }[];
  /** Labels named in the question that the course does not have, with the nearest real ones. */
  absent: AbsentLabel[];
  /** Labels a follow-up refers back to ("that", "part (b)", "the next one"). Rank high, after explicit ones. */
  inherited: { label: string; part?: string }[];
  followUp: boolean;
}

const NEXT_RE = /\b(next|following|n[æa]ste)\b/i;
const PREV_RE = /\b(previous|prior|last|forrige)\b/i;
const PART_RE = /(?:^|\s|\b(?:part|del)\s*)\(?([a-h])\)(?=\s|[?.!,]|$)|\b(?:part|del)\s+([a-h])\b/i;
/** Words that point back at something said before. */
const DEICTIC_RE = /\b(that|this|it|its|these|those|them|there|same|above|det|den|dette|denne|også)\b/i;
const OPENER_RE = /^\s*(and|but|so|ok|okay|what about|how about|then|og|men|hvad med)\b/i;

/**
 * True when the question names a course topic before its first pointing word: in "How does Newton's method
 * work and when can it fail?" the "it" is Newton's method, so the question stands alone; in "why is that
 * true?" or "what does this mean for convex sets?" the pointer comes first and refers back.
 */
function referentInQuestion(question: string, isTopicWord?: (word: string) => boolean): boolean {
  if (!isTopicWord) return false;
  const pointer = DEICTIC_RE.exec(question);
  if (!pointer) return false;
  return (question.slice(0, pointer.index).match(/[\p{L}]+/gu) ?? []).some((w) => isTopicWord(w.toLowerCase()));
}

/**
 * Resolves a question against the conversation. Explicit references ("Exercise 1.41", "§1.6") are kept
 * when the course has them. A question that leans on earlier turns — "what about part (b)?", "and the
 * next exercise?", "why is that true?" — inherits the labels of the last turn that named or cited some,
 * and its search text is extended with the previous question.
 */
export function resolveQuestion(opts: {
  question: string;
  history?: HistoryTurn[];
  items: ItemRow[];
  /** Whether a word names a topic of the course (its headings' and items' words): "Newton" does, "explain" does not. */
  isTopicWord?: (word: string) => boolean;
}): ResolvedQuestion {
  const { question, items } = opts;
  const history = opts.history ?? [];
  const byLabel = new Map(items.map((i) => [i.label, i]));
  const { explicit, absent } = resolveQuestionRefs(question, items);
  if (explicit.length || absent.length || !history.length) return { query: question, explicit, absent, inherited: [], followUp: false };

  const terms = topicTerms(question);
  const part = PART_RE.exec(question);
  const wantsNext = NEXT_RE.test(question) && /\b(exercise|one|opgave|problem|item)\b/i.test(question);
  const wantsPrev = PREV_RE.test(question) && /\b(exercise|one|opgave|problem|item)\b/i.test(question);
  const deictic = DEICTIC_RE.test(question) && terms.length <= 4 && !referentInQuestion(question, opts.isTopicWord);
  const leans = !!part || wantsNext || wantsPrev || OPENER_RE.test(question) || deictic || terms.length === 0;
  if (!leans) return { query: question, explicit, absent, inherited: [], followUp: false };

  // Labels each earlier turn named or cited, most recent first.
  const contexts: string[][] = [];
  let previousQuestion = "";
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn.role === "user" && !previousQuestion) previousQuestion = turn.text;
    const named = extractRefs(turn.text)
      .map((r) => refLabel(r))
      .filter((l): l is string => !!l && byLabel.has(l));
    const labels = [...new Set(turn.role === "user" ? named : [...(turn.citations ?? []).filter((l) => byLabel.has(l)), ...named])];
    if (labels.length) contexts.push(labels);
  }
  // "part (b)" and "the next exercise" are about the exercise most recently discussed; anything else
  // is about whatever the last turn with labels was about.
  const lastExercise = contexts.flat().map((l) => byLabel.get(l)!).find((i) => i.kind === "exercise");
  const context = contexts[0] ?? [];

  const inherited: ResolvedQuestion["inherited"] = [];
  if ((wantsNext || wantsPrev) && context.length) {
    const anchor = lastExercise ?? byLabel.get(context[0])!;
    const sameKind = items.filter((i) => i.kind === anchor.kind).sort((a, b) => a.ord - b.ord);
    const at = sameKind.findIndex((i) => i.label === anchor.label);
    const target = sameKind[at + (wantsNext ? 1 : -1)];
    if (target) inherited.push({ label: target.label });
  } else if (part && (lastExercise || context.length)) {
    inherited.push({ label: (lastExercise ?? byLabel.get(context[0])!).label, part: (part[1] ?? part[2]).toLowerCase() });
  } else {
    for (const l of context.slice(0, 3)) inherited.push({ label: l });
  }
  const query = previousQuestion ? `${question}\n${previousQuestion}` : question;
  return { query, explicit, absent, inherited, followUp: true };
}
