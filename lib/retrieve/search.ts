import { sourceRef, type SourceRef } from "../cite/source";
import { log } from "../log";
import {
  courseModels,
  getCoursePassages,
  listCourseItems,
  listCoursePassages,
  listCourses,
  memoOnSnapshot,
  onNewSnapshot,
  openSnapshot,
  requireSnapshot,
  resolveCourse,
  searchItemsText,
  searchPassagesText,
  searchPassagesVector,
  type PassageHit,
  type Snapshot,
} from "../store/read";
import { resolveQuestion, type HistoryTurn } from "./follow-up";
import { fuseRankings, type Ranking } from "./fuse";
import { expandDanish, expandMathWords, expandSymbols } from "./glossary";
import type { AbsentLabel } from "./question-refs";
import { absentCaptions, captionRefs } from "./caption-refs";
import { coursePrintedLabels } from "../cite/printed-lookup";
import { definedTerms } from "./defined-terms";
import { assessScope, buildTermStats, correctTypos, type ScopeVerdict } from "./scope";
import { stem } from "./terms";
import { fullTextQuery } from "./text-query";
import { boostByTitles } from "./title-boost";
import type { ItemRow } from "../store/schema";

export type { HistoryTurn } from "./follow-up";

/** One search result, as `npm run search -- --json` and `GET /api/search` return it. Keep stable. */
export interface SearchResult {
  id: string;
  /** Label of the heading the passage sits under ("Subsection 1.6.1"). */
  label: string;
  title: string;
  kind: string;
  section: string;
  headingPath: string;
  /** Numbered items inside the passage. */
  refs: string[];
  score: number;
  /**
   * Which retrievers found it: "reference" (named in the question), "context" (a follow-up's referent), "fulltext",
   * "dense", "items" (the best single item, without the model), "definition" (the notes' definition a "what does X mean" asks for).
   */
  retrievers: string[];
  /** The part asked for ("b" of "ex 1.41(b)"), when the question or follow-up named one. */
  part?: string;
  /** Lines of a source file, or pages of a PDF (`{file, page, endPage}`). */
  source: SourceRef;
  text: string;
}

export type RetrievalMode = "lexical" | "dense" | "hybrid";

export interface SearchResponse {
  course: string;
  query: string;
  /** The question as retrieval used it: a follow-up is extended with what it refers to. */
  resolvedQuery: string;
  /** What actually ran: "fulltext" when dense search was asked for but is unavailable. */
  mode: "fulltext" | "dense" | "hybrid";
  /**
   * True only when retrieval is sure nothing in the course is relevant: the tutor then says the notes do not
   * cover it. A doubt is `scope.verdict: "unsure"` (the tutor is told the passages may not cover it, and may cite).
   */
  outOfScope: boolean;
  /** Labels the question names that the course does not have ("Exercise 2.1.99"), each with the nearest real labels. */
  absent: AbsentLabel[];
  /** Labels of the course the question names, then a follow-up's referents ("Exercise 1.41"), without repeats. */
  named?: string[];
  scope?: { verdict: ScopeVerdict["verdict"]; coverage: number; reason?: string; unknownTerms: string[] };
  dense?: { available: boolean; reason?: string; topSimilarity?: number };
  results: SearchResult[];
}

/** The query side of the embedder (lib/embed's Embedder satisfies it). */
export interface QueryEmbedder {
  modelId: string;
  embed(texts: string[], opts?: { prompt?: "query" | "passage" | null }): Promise<Float32Array[]>;
}

/** A question asking what something means or how it is defined. */
const DEFINITION_INTENT = /\b(what\s+(?:is|are|does)\b.*\b(?:mean|meant|means)\b|what\s+(?:is|are)\s+(?:an?\s+|the\s+)?\w|defin(?:e|ed|ition|itions)\b|meaning of\b|hvad\s+(?:er|betyder)\b)/i;

/** How many candidates each retriever contributes to the fusion. */
const CANDIDATES = 30;
/**
 * How many of the item-level full-text ranking's best passages are sure of a place near the top. One: on the
 * demo (acc@5 0.917 → 0.931), probe (0.933 → 0.950) and tuning books it gained everywhere; two gained nothing more.
 */
const ITEM_SLOTS = 1;

/**
 * The top passages for a question. Items the question names ("ex 1.41(b)", "§1.6", "Def. 1.42") resolve by
 * exact lookup and rank first, as the passage that holds them; a follow-up's referent comes next; then
 * BM25 full-text and dense (fine-tuned model, `query: ` prefix) rankings fused by reciprocal rank. The
 * result says whether the course covers the question at all (`outOfScope`).
 *
 * `embedder` defaults to the app's singleton; pass null to force full-text only, or a specific model (tests,
 * evaluation). `mode` restricts the retrievers (evaluation); references resolve in every mode.
 */
export async function findPassages(opts: {
  question: string;
  course?: string;
  k?: number;
  db?: string;
  defaultCourse?: string;
  history?: HistoryTurn[];
  mode?: RetrievalMode;
  embedder?: QueryEmbedder | null;
}): Promise<SearchResponse> {
  const k = opts.k ?? 5;
  const mode = opts.mode ?? "hybrid";
  const snap = await requireSnapshot(opts.db);
  const course = await resolveCourse(snap, opts.course, opts.defaultCourse);
  const items = await listCourseItems(snap, course.id);
  const byLabel = new Map(items.map((i) => [i.label, i]));
  const stats = await courseTermStats(snap, course.id);
  const resolved = resolveQuestion({ question: opts.question, history: opts.history, items, isTopicWord: (w) => stats.titleTerms.has(stem(w)) });
  const expanded = expandSymbols(expandDanish(resolved.query));
  const typos = correctTypos(expanded, stats);
  resolved.query = expandMathWords(typos.text);

  // Dense search needs the model that embedded this course's passages.
  const dense: SearchResponse["dense"] = { available: false };
  let embedder: QueryEmbedder | null = null;
  if (mode !== "lexical") {
    embedder = opts.embedder === undefined ? await loadAppEmbedder() : opts.embedder;
    const models = await courseModels(snap, course.id);
    if (!embedder) dense.reason = "no embedding model available";
    else if (!models.has(embedder.modelId)) dense.reason = `the course was not embedded with ${embedder.modelId} (re-run ingest with the model)`;
    else dense.available = true;
  }

  const hits = new Map<string, PassageHit>();
  const rankings: Ranking[] = [];
  const passageIdsOf = (labels: { label: string }[]) => [...new Set(labels.map((l) => byLabel.get(l.label)?.passage_id).filter((id): id is string => !!id))];
  // Figures, tables and equations the course prints but holds as no item: the passage printing the number, after the items named.
  const printedLabels = await coursePrintedLabels(snap, course.id);
  const captions = captionRefs(opts.question, printedLabels, (l) => byLabel.has(l));
  const explicitIds = [...new Set([...passageIdsOf(resolved.explicit), ...captions.map((c) => c.passageId)])];
  const inheritedIds = passageIdsOf(resolved.inherited);
  for (const h of await getCoursePassages(snap, course.id, [...explicitIds, ...inheritedIds])) hits.set(h.id, h);

  const lexical = mode !== "dense" || !dense.available;
  // Without the model, full text searches the question's topic words only; with it, dense + BM25 RRF reads the question as before.
  const textQuery = dense.available ? resolved.query : fullTextQuery(resolved.query, (s) => stats.titleWords.has(s));
  const [textHits, itemHits, definitionHits, vectorHits, scopeHits] = await Promise.all([
    // Full text always runs: the scope check reads its best passages even when only dense ranks (mode "dense").
    searchPassagesText(snap, { course: course.id, query: textQuery, k: CANDIDATES }),
    // Item-level evidence backs up full text when there is no dense ranking; with the model, dense + BM25 RRF stays as it was.
    lexical && !dense.available ? searchItemsText(snap, { course: course.id, query: textQuery, k: CANDIDATES }) : Promise.resolve([]),
    // "What does X mean?", "how is X defined": the notes' own definition of X is what the student asks for.
    lexical && !dense.available && DEFINITION_INTENT.test(opts.question)
      ? searchItemsText(snap, { course: course.id, query: textQuery, k: 3, kind: "definition" })
      : Promise.resolve([]),
    dense.available && embedder
      ? embedder.embed([resolved.query], { prompt: "query" }).then(([v]) => searchPassagesVector(snap, { course: course.id, vector: v, model: embedder!.modelId, k: CANDIDATES }))
      : Promise.resolve([]),
    // The scope check was calibrated on the passages the whole question ranks highest; it keeps reading those.
    textQuery !== resolved.query ? searchPassagesText(snap, { course: course.id, query: resolved.query, k: 3 }) : Promise.resolve(null),
  ]);
  for (const h of [...(lexical ? [...textHits, ...itemHits, ...definitionHits] : []), ...vectorHits]) if (!hits.has(h.id)) hits.set(h.id, h);
  if (lexical && textHits.length) {
    // Without the model, a title holding the question's terms weighs more than the same words in passing.
    const titlesOf = (h: PassageHit) => [byLabel.get(h.heading)?.title ?? "", ...h.refs.map((r) => byLabel.get(r)?.title ?? "")];
    const ranked = dense.available ? textHits : boostByTitles(textHits, textQuery, stats, titlesOf);
    rankings.push({ retriever: "fulltext", ids: ranked.map((h) => h.id) });
  }

  if (vectorHits.length) {
    rankings.push({ retriever: "dense", ids: vectorHits.map((h) => h.id) });
    dense.topSimilarity = Math.round(vectorHits[0].score * 1e4) / 1e4;
  }
  // A follow-up's referent outweighs any single retriever, but not what the question itself names.
  if (inheritedIds.length) rankings.push({ retriever: "context", ids: inheritedIds, weight: 3 });

  const fused = fuseRankings(rankings);
  const ordered: { id: string; score: number; retrievers: string[] }[] = explicitIds.map((id, i) => ({
    id,
    score: 1 - i * 1e-3,
    retrievers: ["reference", ...(fused.find((f) => f.id === id)?.retrievers ?? [])],
  }));
  for (const f of fused) if (!explicitIds.includes(f.id)) ordered.push(f);
  reserveItemSlots(
    ordered,
    [...itemHits.slice(0, ITEM_SLOTS).map((h) => ({ id: h.id, retriever: "items" })), ...definitionHits.slice(0, 1).map((h) => ({ id: h.id, retriever: "definition" }))],
    explicitIds.length,
  );

  const scope = assessScope({
    question: expanded,
    stats,
    // The lexical test reads the passages BM25 ranks highest (the most term overlap), so its verdict does
    // not hang on the dense model's ranking; without full-text hits, the fused ones.
    topPassages: ((scopeHits ?? textHits).length ? (scopeHits ?? textHits).slice(0, 3).map((h) => h.text) : ordered.slice(0, 3).map((o) => hits.get(o.id)?.text ?? "")),
    anchored: resolved.explicit.length > 0 || resolved.inherited.length > 0 || captions.length > 0,
    corrected: typos.corrections,
  });

  const partOf = new Map<string, string>();
  for (const r of [...resolved.explicit, ...resolved.inherited]) {
    const pid = byLabel.get(r.label)?.passage_id;
    if (r.part && pid && !partOf.has(pid)) partOf.set(pid, r.part);
  }
  const printed = printedPageFinder(items);
  const results = ordered.slice(0, k).map(({ id, score, retrievers }) => {
    const hit = hits.get(id)!;
    const heading = byLabel.get(hit.heading);
    const result: SearchResult = {
      id,
      label: hit.heading,
      title: heading?.title ?? "",
      kind: heading?.kind ?? "section",
      section: hit.section,
      headingPath: hit.headingPath,
      refs: hit.refs,
      score: Math.round(score * 1e5) / 1e5,
      retrievers,
      source: sourceRef(hit.file, hit.line, hit.endLine, printed?.(hit.file, hit.line)),
      text: hit.text,
    };
    if (partOf.has(id)) result.part = partOf.get(id);
    return result;
  });

  return {
    course: course.id,
    query: opts.question,
    resolvedQuery: resolved.query,
    mode: dense.available && embedder ? (mode === "dense" ? "dense" : "hybrid") : "fulltext",
    outOfScope: scope.outOfScope,
    // An equation the course prints but does not hold as an item ("eq (1.4.1)") is no absent label.
    absent: [
      ...resolved.absent.filter((a) => !captions.some((c) => c.label === a.label)),
      // A figure, table or equation of a kind the course prints, under a number it does not print ("Figure 9.9").
      ...absentCaptions(opts.question, printedLabels, (l) => byLabel.has(l)).filter((a) => !resolved.absent.some((r) => r.label === a.label)),
    ],
    // Figures, tables and equations the course prints are labels too: after the items named, before a follow-up's referents.
    named: [...new Set([...resolved.explicit, ...captions, ...resolved.inherited].map((r) => r.label))],
    scope: { verdict: scope.verdict, coverage: scope.coverage, ...(scope.reason ? { reason: scope.reason } : {}), unknownTerms: scope.unknownTerms },
    dense,
    results,
  };
}

/**
 * The passages of the best-matching single items (an exercise, a theorem; for "what does X mean", a
 * definition) get places among the first results when the passage-level ranking left them out: searched
 * alone, an item the question describes is strong evidence, but summed into a rank fusion it would reorder
 * every close call. They take the slots right after the passage ranking's first (or the named references).
 */
function reserveItemSlots(ordered: { id: string; score: number; retrievers: string[] }[], top: { id: string; retriever: string }[], named: number): void {
  let at = named + 1;
  for (const hit of top) {
    const i = ordered.findIndex((o) => o.id === hit.id);
    if (i >= 0 && i <= at) {
      ordered[i].retrievers.push(hit.retriever);
      continue;
    }
    const [moved] = i >= 0 ? ordered.splice(i, 1) : [{ id: hit.id, score: 0, retrievers: [] as string[] }];
    moved.retrievers.push(hit.retriever);
    moved.score = ordered[at - 1]?.score ?? moved.score;
    ordered.splice(Math.min(at, ordered.length), 0, moved);
    at++;
  }
}

// A replica swaps in a newly published version only once its term statistics are built (lib/store/read.ts).
onNewSnapshot(async (snap) => {
  for (const c of await listCourses(snap)) await Promise.all([courseTermStats(snap, c.id), coursePrintedLabels(snap, c.id)]);
});

/** Term statistics of a course's passages (scope check, typo correction), built once per snapshot. */
function courseTermStats(snap: Snapshot, course: string) {
  return memoOnSnapshot(snap, `terms:${course}`, async () => {
    const [passages, items] = await Promise.all([listCoursePassages(snap, course), listCourseItems(snap, course)]);
    return buildTermStats(
      passages.map((p) => p.text),
      [...items.map((i) => i.title), ...definedTerms(items)],
    );
  });
}

/**
 * Loads, in the background at server start, what a course's first question would otherwise wait for: the
 * embedding model (and its first inference), each course's passages, term statistics and vectors. On the
 * demo course that is about a second; on a 100,000-passage course, ~20 s no student has to sit through.
 */
export async function warmUp(opts: { db?: string; embedder?: QueryEmbedder | null } = {}): Promise<{ courses: string[] }> {
  const embedder = opts.embedder === undefined ? await loadAppEmbedder() : opts.embedder;
  if (embedder) await embedder.embed(["warm-up"], { prompt: "query" });
  const snap = await openSnapshot(opts.db);
  if (!snap) return { courses: [] };
  const courses = await listCourses(snap);
  for (const c of courses) {
    await Promise.all([listCourseItems(snap, c.id), courseTermStats(snap, c.id), coursePrintedLabels(snap, c.id)]);
    if (embedder && (await courseModels(snap, c.id)).has(embedder.modelId)) {
      await searchPassagesVector(snap, { course: c.id, vector: new Float32Array(snap.dimension).fill(1), model: embedder.modelId, k: 1 });
    }
  }
  return { courses: courses.map((c) => c.id) };
}

/** lib/embed, imported once (a dynamic import per question is not free: a module lookup each time). */
let embedModule: Promise<typeof import("../embed")> | undefined;

async function loadAppEmbedder(): Promise<QueryEmbedder | null> {
  try {
    const { getEmbedder } = await (embedModule ??= import("../embed"));
    return await getEmbedder();
  } catch (e) {
    log.warn({ err: (e as Error).message }, "embedding runtime failed to load; full-text only");
    return null;
  }
}

/**
 * For a LaTeX source printed as a PDF beside it (items carry `pdf`/`page`), where a passage is printed: the page
 * of the last numbered item or heading that begins at or before the passage's first line in its file (as the
 * ingest places paragraphs). Undefined when no item of the course has a page. Built once per items list (the
 * list is memoised per snapshot), not per question.
 */
type PageFinder = ((file: string, line: number) => { pdf: string; page: number } | undefined) | undefined;
const PAGE_FINDERS = new WeakMap<readonly ItemRow[], PageFinder>();

function printedPageFinder(items: readonly ItemRow[]): PageFinder {
  if (PAGE_FINDERS.has(items)) return PAGE_FINDERS.get(items);
  const byFile = new Map<string, ItemRow[]>();
  for (const i of items) {
    if (!i.pdf || !i.page) continue;
    const list = byFile.get(i.file);
    if (list) list.push(i);
    else byFile.set(i.file, [i]);
  }
  for (const list of byFile.values()) list.sort((a, b) => a.line - b.line);
  const finder: PageFinder = byFile.size
    ? (file, line) => {
        const list = byFile.get(file);
        let best: ItemRow | undefined;
        for (const i of list ?? []) {
          if (i.line > line) break;
          best = i;
        }
        return best ? { pdf: best.pdf!, page: best.page! } : undefined;
      }
    : undefined;
  PAGE_FINDERS.set(items, finder);
  return finder;
}
