import { topicTerms } from "../retrieve/terms";

/**
 * Questions grouped by similar wording, for the instructor's "what the notes did not cover" and "answers
 * flagged" lists. With the embedding model: greedy clustering on cosine similarity of the questions' query
 * embeddings; without it: on the overlap (Jaccard) of their stemmed topic terms (lib/retrieve/terms.ts).
 * Greedy, newest first: a question joins the group whose first question it is most like, above a threshold,
 * else starts its own. Deterministic for the same input.
 */

/** What grouping reads of a listed answer (lib/insights/report.ts `ListedAnswer`). */
export interface GroupedQuestion {
  time: number;
  question: string | null;
  comment: string | null;
  named: string[];
}

/** A question's text for grouping: its own when the course keeps questions, else the student's comment. */
export function wordingOf(q: GroupedQuestion): string | null {
  return q.question?.trim() || q.comment?.trim() || null;
}

export interface QuestionGroup {
  /** The group's first (newest) wording, shown as its title. */
  example: string;
  /** Other wordings in the group (a few, newest first). */
  others: string[];
  /** The topic terms the group shares most (stems), for the CSV and the terms view. */
  terms: string[];
  count: number;
  /** Labels the group's questions named, most named first. */
  labels: string[];
  newest: number;
}

export interface Grouping {
  groups: QuestionGroup[];
  /** Flagged questions with no text to group (the course keeps no questions, and no comment came). */
  withoutText: number;
  /** "embedding" (model id) or "terms". */
  method: string;
}

/** Cosine similarity for e5-style normalised embeddings above which two questions count as the same one. */
export const EMBEDDING_THRESHOLD = 0.9;
/** Share of topic terms two questions must have in common (Jaccard) to count as the same one. */
export const TERMS_THRESHOLD = 0.5;
const OTHERS_SHOWN = 3;

export interface GroupEmbedder {
  modelId: string;
  embed(texts: string[]): Promise<Float32Array[]>;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 1;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

interface Draft {
  /** Index of the group's first question: new questions are compared with it. */
  lead: number;
  members: { q: GroupedQuestion; text: string; terms: string[] }[];
}

/**
 * Groups `questions` (any order; grouped newest first) by wording. `embedder`: the embedding model, or null for
 * terms. Groups come out largest first (ties: newest first).
 */
export async function groupQuestions(questions: GroupedQuestion[], embedder: GroupEmbedder | null): Promise<Grouping> {
  const withText = questions
    .map((q) => ({ q, text: wordingOf(q) }))
    .filter((x): x is { q: GroupedQuestion; text: string } => !!x.text)
    .sort((a, b) => b.q.time - a.q.time)
    .map((x) => ({ ...x, terms: [...new Set(topicTerms(x.text))] }));
  const withoutText = questions.length - withText.length;
  let vectors: Float32Array[] | null = null;
  if (embedder && withText.length) {
    try {
      vectors = await embedder.embed(withText.map((x) => x.text));
    } catch {
      vectors = null; // the model failed: terms still group
    }
  }
  const termSets = withText.map((x) => new Set(x.terms));
  const drafts: Draft[] = [];
  for (let i = 0; i < withText.length; i++) {
    let best = -1;
    let bestScore = -Infinity;
    for (let g = 0; g < drafts.length; g++) {
      const lead = drafts[g].lead;
      const score = vectors ? dot(vectors[i], vectors[lead]) : jaccard(termSets[i], termSets[lead]);
      if (score > bestScore) {
        bestScore = score;
        best = g;
      }
    }
    const threshold = vectors ? EMBEDDING_THRESHOLD : TERMS_THRESHOLD;
    // Two texts without any topic term (e.g. "??") are not alike for being empty.
    const empty = !vectors && termSets[i].size === 0;
    if (best >= 0 && bestScore >= threshold && !empty) drafts[best].members.push(withText[i]);
    else drafts.push({ lead: i, members: [withText[i]] });
  }
  const groups = drafts.map((d): QuestionGroup => {
    const termCount = new Map<string, number>();
    const labelCount = new Map<string, number>();
    for (const m of d.members) {
      for (const t of m.terms) termCount.set(t, (termCount.get(t) ?? 0) + 1);
      for (const l of new Set(m.q.named)) labelCount.set(l, (labelCount.get(l) ?? 0) + 1);
    }
    const byCount = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
    const texts = [...new Set(d.members.map((m) => m.text))];
    return {
      example: texts[0],
      others: texts.slice(1, 1 + OTHERS_SHOWN),
      terms: byCount(termCount).slice(0, 5),
      count: d.members.length,
      labels: byCount(labelCount).slice(0, 5),
      newest: d.members[0].q.time,
    };
  });
  groups.sort((a, b) => b.count - a.count || b.newest - a.newest);
  return { groups, withoutText, method: vectors && embedder ? `embedding (${embedder.modelId})` : "terms" };
}
