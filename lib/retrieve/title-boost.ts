import type { PassageHit } from "../store/read";
import { idf, type TermStats } from "./scope";
import { topicTerms } from "./terms";

/** How much a passage's BM25 score grows when its titles hold all of the question's topic terms (by IDF weight). */
export const TITLE_WEIGHT = 0.3;

/**
 * Titles as a weighted field: BM25 over whole passages counts a term in a heading or a theorem's name no
 * more than one in passing prose, yet "Diagonalisation" as a section title or "(Rank of the transpose)" as a
 * proposition's name says what the passage is about. Each full-text hit's score grows by up to
 * `TITLE_WEIGHT` × the IDF share of the question's topic terms that its heading's title or its items'
 * titles contain; hits are re-sorted. Without the model only (dense + BM25 RRF is left as it is).
 */
export function boostByTitles(hits: PassageHit[], query: string, stats: TermStats, titlesOf: (hit: PassageHit) => string[]): PassageHit[] {
  const terms = [...new Set(topicTerms(query))];
  const weights = terms.map((t) => idf(stats, t));
  const total = weights.reduce((a, b) => a + b, 0);
  if (!total) return hits;
  const boosted = hits.map((hit, rank) => {
    const inTitles = new Set(titlesOf(hit).flatMap((t) => topicTerms(t)));
    let share = 0;
    terms.forEach((t, i) => {
      if (inTitles.has(t)) share += weights[i];
    });
    return { hit: { ...hit, score: hit.score * (1 + (TITLE_WEIGHT * share) / total) }, rank };
  });
  boosted.sort((a, b) => b.hit.score - a.hit.score || a.rank - b.rank);
  return boosted.map((b) => b.hit);
}
