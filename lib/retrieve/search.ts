import { extractRefs, refLabel } from "../cite/refs";
import { getPassages, listCourseItems, requireSnapshot, resolveCourse, searchPassagesText, type PassageHit } from "../store/read";

/** One search result, as `npm run search -- --json` and `GET /api/search` return it. Keep stable. */
export interface SearchResult {
  id: string;
  label: string;
  title: string;
  kind: string;
  section: string;
  headingPath: string;
  refs: string[];
  score: number;
  /** Which retrievers found it: "reference" (exact label in the question), "fulltext", "dense". */
  retrievers: string[];
  source: { file: string; line: number; endLine: number };
  text: string;
}

export interface SearchResponse {
  course: string;
  query: string;
  mode: "fulltext" | "hybrid";
  results: SearchResult[];
}

/**
 * Top passages for a question: passages holding explicitly referenced items first ("Exercise 1.41"),
 * then BM25 full-text hits. (The retrieval issue adds dense search and rank fusion here.)
 */
export async function findPassages(opts: { question: string; course?: string; k?: number; db?: string; defaultCourse?: string }): Promise<SearchResponse> {
  const k = opts.k ?? 5;
  const snap = await requireSnapshot(opts.db);
  const course = await resolveCourse(snap, opts.course, opts.defaultCourse);
  const items = await listCourseItems(snap, course.id);
  const byLabel = new Map(items.map((i) => [i.label, i]));

  const refIds: string[] = [];
  for (const ref of extractRefs(opts.question)) {
    const label = refLabel(ref);
    const item = label ? byLabel.get(label) : undefined;
    if (item?.passage_id && !refIds.includes(item.passage_id)) refIds.push(item.passage_id);
  }
  const refHits = await getPassages(snap, refIds);
  const textHits = await searchPassagesText(snap, { course: course.id, query: opts.question, k: k + refHits.length });

  const merged = new Map<string, { hit: PassageHit; retrievers: string[]; score: number }>();
  refHits.forEach((h, i) => merged.set(h.id, { hit: h, retrievers: ["reference"], score: 1000 - i }));
  for (const h of textHits) {
    const prev = merged.get(h.id);
    if (prev) prev.retrievers.push("fulltext");
    else merged.set(h.id, { hit: h, retrievers: ["fulltext"], score: h.score });
  }
  const results = [...merged.values()].slice(0, k).map(({ hit, retrievers, score }) => {
    const headingLabel = hit.heading;
    const heading = byLabel.get(headingLabel);
    return {
      id: hit.id,
      label: headingLabel,
      title: heading?.title ?? "",
      kind: heading?.kind ?? "section",
      section: hit.section,
      headingPath: hit.headingPath,
      refs: hit.refs,
      score: Math.round(score * 1e4) / 1e4,
      retrievers,
      source: { file: hit.file, line: hit.line, endLine: hit.endLine },
      text: hit.text,
    };
  });
  return { course: course.id, query: opts.question, mode: "fulltext", results };
}
