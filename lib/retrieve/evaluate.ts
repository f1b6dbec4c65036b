import { z } from "zod";

/** One line of an evaluation file. */
export const evalQuestionSchema = z.object({
  q: z.string().min(1),
  expect: z.array(z.string()),
  kind: z.enum(["explicit-ref", "conceptual", "exercise-help", "off-topic"]),
  /** Labels the question names that the course does not have: retrieval must report each as absent. */
  absent: z.array(z.string()).optional(),
});
export type EvalQuestion = z.infer<typeof evalQuestionSchema>;

/** What a ranked passage offers for matching: its labels and headings. */
export interface RankedPassage {
  id: string;
  refs: string[];
  /** Heading labels from the chapter down ("Chapter 1", "Section 1.6", "Subsection 1.6.1"). */
  headings: string[];
}

export interface Metrics {
  "acc@1": number;
  "acc@3": number;
  "acc@5": number;
  "acc@10": number;
  "mrr@10": number;
  "ndcg@10": number;
  n: number;
}

/**
 * A passage answers a question when it is, or contains, an expected label: an item inside it, or a heading
 * it sits under (an expected Section is hit by any passage inside it).
 */
export function isHit(p: RankedPassage, expected: string[]): boolean {
  return expected.some((label) => p.refs.includes(label) || p.headings.includes(label));
}

/** Model-card metrics for one question's ranking; `relevantTotal` = passages in the course that would be hits. */
export function scoreRanking(ranking: RankedPassage[], expected: string[], relevantTotal: number): Omit<Metrics, "n"> {
  const top = ranking.slice(0, 10);
  const hits = top.map((p) => isHit(p, expected));
  const first = hits.indexOf(true);
  const at = (k: number) => (first >= 0 && first < k ? 1 : 0);
  const dcg = hits.reduce((s, h, i) => s + (h ? 1 / Math.log2(i + 2) : 0), 0);
  const ideal = Array.from({ length: Math.min(10, Math.max(1, relevantTotal)) }, (_, i) => 1 / Math.log2(i + 2)).reduce((a, b) => a + b, 0);
  return {
    "acc@1": at(1),
    "acc@3": at(3),
    "acc@5": at(5),
    "acc@10": at(10),
    "mrr@10": first >= 0 ? 1 / (first + 1) : 0,
    "ndcg@10": ideal ? dcg / ideal : 0,
  };
}

/** Mean of per-question metrics. */
export function averageMetrics(rows: Omit<Metrics, "n">[]): Metrics {
  const keys = ["acc@1", "acc@3", "acc@5", "acc@10", "mrr@10", "ndcg@10"] as const;
  const out = { n: rows.length } as Metrics;
  for (const k of keys) out[k] = rows.length ? Math.round((rows.reduce((s, r) => s + r[k], 0) / rows.length) * 1e4) / 1e4 : 0;
  return out;
}

/** Parses a JSONL evaluation file; a bad line is an error naming its line number. */
export function parseEvalFile(text: string, file: string): EvalQuestion[] {
  const out: EvalQuestion[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not valid JSON`);
    }
    const r = evalQuestionSchema.safeParse(data);
    if (!r.success) throw new Error(`${file}:${i + 1}: ${r.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`);
    out.push(r.data);
  });
  return out;
}

export interface EvalReport {
  mode: string;
  /** What ran: "fulltext" when dense was asked for but unavailable. */
  ran: string;
  n: number;
  overall: Omit<Metrics, "n">;
  by_kind: Record<string, Metrics>;
  /**
   * flagged_on_topic: on-topic questions the tutor was told to decline (sure verdict) — the costly error;
   * doubted_on_topic: on-topic questions passed on with a doubt (verdict "unsure"; the tutor may still cite).
   * flagged_off_topic: off-topic questions the tutor was warned about (declined, doubted, or a label reported
   * absent); declined_off_topic: the sure share of those.
   */
  out_of_scope: {
    flagged_off_topic: number;
    declined_off_topic: number;
    flagged_on_topic: number;
    doubted_on_topic: number;
    off_topic_n: number;
    on_topic_n: number;
  };
  /** Questions naming labels the course lacks, and the share where retrieval reported every one of them absent. */
  absent: { n: number; reported: number };
  /**
   * Distinct labels the questions expect, and how many of them no passage of the store holds or sits under: an
   * ingestion gap (an item the parser missed or numbered differently) that no ranking can make up for.
   */
  expected_labels: { n: number; not_in_store: number };
  /** Questions whose first hit is not at rank 1 (for looking at failures). */
  misses: { q: string; kind: string; expect: string[]; top: string[] }[];
}

function share(k: number, n: number): number {
  return n ? Math.round((k / n) * 1e4) / 1e4 : 0;
}

const EXERCISE_WORDS = new Set(["exercise", "problem", "question"]);

/**
 * An absent label as reported vs as the question file states it: the same, or the same number under another word for
 * an exercise ("problem 7 in chapter 30" is reported as the course names its kind, "Exercise 30.7").
 */
export function sameAbsentLabel(reported: string, stated: string): boolean {
  if (reported === stated) return true;
  const [a, b] = [reported, stated].map((l) => /^(\S+)\s+(\S+)$/.exec(l));
  return !!a && !!b && a[2] === b[2] && EXERCISE_WORDS.has(a[1].toLowerCase()) && EXERCISE_WORDS.has(b[1].toLowerCase());
}

/** Heading labels of a passage from its heading path ("Chapter 1: Numbers › Section 1.6: More on sets"). */
export function headingLabels(headingPath: string): string[] {
  return headingPath.split(" › ").map((s) => s.split(": ")[0].trim());
}

/** The distinct expected labels of the questions, and those that no passage holds (in its refs or headings). */
export function expectedLabelsNotInStore(questions: EvalQuestion[], passages: RankedPassage[]): { n: number; not_in_store: number; missing: string[] } {
  const inStore = new Set(passages.flatMap((p) => [...p.refs, ...p.headings]));
  const expected = [...new Set(questions.flatMap((q) => q.expect))];
  const missing = expected.filter((l) => !inStore.has(l));
  return { n: expected.length, not_in_store: missing.length, missing };
}

/**
 * Runs every question through `search` (the production retrieval) and scores it like the model card does.
 * Off-topic questions are scored only on whether they were flagged out of scope.
 */
export async function runEvaluation(opts: {
  questions: EvalQuestion[];
  mode: string;
  search: (q: string) => Promise<{
    mode: string;
    outOfScope: boolean;
    scope?: { verdict: "in" | "unsure" | "out" };
    absent?: { label: string }[];
    results: { id: string; refs: string[]; headingPath: string }[];
  }>;
  coursePassages: { id: string; refs: string[]; headingPath: string }[];
}): Promise<EvalReport> {
  const all = opts.coursePassages.map((p) => ({ id: p.id, refs: p.refs, headings: headingLabels(p.headingPath) }));
  const perKind = new Map<string, Omit<Metrics, "n">[]>();
  const overall: Omit<Metrics, "n">[] = [];
  const misses: EvalReport["misses"] = [];
  let ran = "";
  let offFlagged = 0;
  let offDeclined = 0;
  let onDoubted = 0;
  let offN = 0;
  let onFlagged = 0;
  let onN = 0;
  let absentN = 0;
  let absentReported = 0;
  for (const q of opts.questions) {
    const r = await opts.search(q.q);
    ran = r.mode;
    const reported = (r.absent ?? []).map((a) => a.label);
    const absentOk = !!q.absent?.length && q.absent.every((l) => reported.some((a) => sameAbsentLabel(a, l)));
    if (q.absent?.length) {
      absentN++;
      if (absentOk) absentReported++;
    }
    if (q.kind === "off-topic") {
      offN++;
      // A question about a label the notes lack is answered "the notes have no Exercise 2.1.99": flagged.
      if (r.outOfScope || absentOk) offDeclined++;
      if (r.outOfScope || absentOk || r.scope?.verdict === "unsure") offFlagged++;
      else misses.push({ q: q.q, kind: q.kind, expect: [], top: r.results.slice(0, 3).map((x) => x.headingPath) });
      continue;
    }
    onN++;
    if (r.outOfScope) onFlagged++;
    else if (r.scope?.verdict === "unsure") onDoubted++;
    const ranking = r.results.map((p) => ({ id: p.id, refs: p.refs, headings: headingLabels(p.headingPath) }));
    const relevant = all.filter((p) => isHit(p, q.expect)).length;
    const m = scoreRanking(ranking, q.expect, relevant);
    overall.push(m);
    perKind.set(q.kind, [...(perKind.get(q.kind) ?? []), m]);
    if (m["acc@1"] < 1) misses.push({ q: q.q, kind: q.kind, expect: q.expect, top: ranking.slice(0, 3).map((p) => `${p.headings.at(-1)} [${p.refs.slice(0, 4).join(", ")}]`) });
  }
  const { n: _n, ...overallMetrics } = averageMetrics(overall);
  const { missing: _missing, ...expectedLabels } = expectedLabelsNotInStore(opts.questions, all);
  return {
    mode: opts.mode,
    ran,
    n: opts.questions.length,
    overall: overallMetrics,
    by_kind: Object.fromEntries([...perKind].map(([k, rows]) => [k, averageMetrics(rows)])),
    out_of_scope: {
      flagged_off_topic: share(offFlagged, offN),
      declined_off_topic: share(offDeclined, offN),
      flagged_on_topic: share(onFlagged, onN),
      doubted_on_topic: share(onDoubted, onN),
      off_topic_n: offN,
      on_topic_n: onN,
    },
    absent: { n: absentN, reported: absentN ? Math.round((absentReported / absentN) * 1e4) / 1e4 : 0 },
    expected_labels: expectedLabels,
    misses,
  };
}
