import { topicTerms } from "./terms";

/** Document frequencies of topic terms over a course's passages. */
export interface TermStats {
  n: number;
  df: Map<string, number>;
}

export function buildTermStats(texts: string[]): TermStats {
  const df = new Map<string, number>();
  for (const t of texts) for (const term of new Set(topicTerms(t))) df.set(term, (df.get(term) ?? 0) + 1);
  return { n: texts.length, df };
}

/** Inverse document frequency; a term the course never uses weighs the most. */
export function idf(stats: TermStats, term: string): number {
  return Math.log(1 + stats.n / ((stats.df.get(term) ?? 0) + 0.5));
}

export interface ScopeVerdict {
  outOfScope: boolean;
  /** Best IDF-weighted share of the question's topic terms found together in one top passage (0–1). */
  coverage: number;
  /** The question's topic terms the course never uses. */
  unknownTerms: string[];
}

/**
 * Below this share of the question's (IDF-weighted) topic terms in the best passage, the notes are taken not
 * to cover the question. Chosen on the odd-numbered lines of tests/eval/demo-questions.jsonl and checked on
 * the even ones (see docs/ARCHITECTURE.md, "Out-of-scope detection").
 */
export const COVERAGE_THRESHOLD = 0.5;

/**
 * Decides whether the course covers a question, lexically: what share of the question's topic terms (each
 * weighted by how specific it is to the course) appears in one of the best passages. Off-topic questions
 * ("how do I bake sourdough", "what is a Fourier transform") hinge on words the notes never use; on-topic
 * ones, however phrased, share their rare words with the passage that answers them. Questions that name an
 * item of the course, or lean on an earlier turn that did, are in scope by construction.
 */
export function assessScope(opts: { question: string; stats: TermStats; topPassages: string[]; anchored: boolean }): ScopeVerdict {
  const terms = [...new Set(topicTerms(opts.question))];
  const unknownTerms = terms.filter((t) => !opts.stats.df.has(t));
  if (opts.anchored) return { outOfScope: false, coverage: 1, unknownTerms };
  if (!terms.length) return { outOfScope: true, coverage: 0, unknownTerms };
  const total = terms.reduce((s, t) => s + idf(opts.stats, t), 0);
  let best = 0;
  for (const text of opts.topPassages) {
    const have = new Set(topicTerms(text));
    const covered = terms.filter((t) => have.has(t)).reduce((s, t) => s + idf(opts.stats, t), 0);
    best = Math.max(best, covered / total);
  }
  return { outOfScope: best < COVERAGE_THRESHOLD, coverage: Math.round(best * 1000) / 1000, unknownTerms };
}
