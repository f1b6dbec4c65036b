/** One retriever's ranking: passage ids, best first. */
export interface Ranking {
  retriever: string;
  ids: string[];
  /** Multiplies this retriever's RRF contributions (default 1). */
  weight?: number;
}

export interface Fused {
  id: string;
  score: number;
  /** Retrievers that returned this id, in the order given. */
  retrievers: string[];
}

/**
 * Reciprocal rank fusion (Cormack et al. 2009): score(d) = Σ weight / (k + rank). Rank-based, so BM25 scores
 * and cosine similarities need no common scale. k = 60 as in the paper. Duplicates within one ranking count once.
 */
export function fuseRankings(rankings: Ranking[], k = 60): Fused[] {
  const acc = new Map<string, Fused>();
  for (const r of rankings) {
    const seen = new Set<string>();
    r.ids.forEach((id, i) => {
      if (seen.has(id)) return;
      seen.add(id);
      const f = acc.get(id) ?? { id, score: 0, retrievers: [] };
      f.score += (r.weight ?? 1) / (k + i + 1);
      f.retrievers.push(r.retriever);
      acc.set(id, f);
    });
  }
  return [...acc.values()].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}
