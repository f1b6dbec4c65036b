import path from "node:path";
import { readWholeTable } from "./store/heal";
import { listCourses, openSnapshot, type Snapshot } from "./store/read";

export interface Health {
  ok: boolean;
  store: { courses: { id: string; title: string; model: string; updatedAt: string }[]; error?: string; servingEarlierVersion?: boolean; version?: number };
  model: { available: boolean; modelId: string; reason?: string };
  /** "hybrid" when passages have vectors and the model is loaded, else "fulltext". */
  retrieval: "hybrid" | "fulltext";
  /** False when a table of the store cannot be read (the route answers 503). */
  readable: boolean;
}

/**
 * Absolute paths become "‹server path›/<last part>": the health report and the page banner say which file or
 * folder is missing without naming the server's directories.
 */
export function redactPaths(text: string): string {
  return text.replace(/(?:[A-Za-z]:)?(?:[\\/][\w.@+~-]+){2,}[\\/]?/g, (p) => `‹server path›/${path.basename(p)}`);
}

/** Every table of the snapshot is read through (at most every 2 s per snapshot): deleted data files show here. */
const VERIFY_TTL_MS = 2000;
const verified = new WeakMap<Snapshot, { at: number; result: Promise<void> }>();
function verifySnapshot(snap: Snapshot): Promise<void> {
  const seen = verified.get(snap);
  if (seen && Date.now() - seen.at < VERIFY_TTL_MS) return seen.result;
  const result = Promise.all([readWholeTable(snap.passages), readWholeTable(snap.items), readWholeTable(snap.courses)]).then(() => {});
  verified.set(snap, { at: Date.now(), result });
  return result;
}

/** What /api/health reports and the UI banner shows. Never throws for a missing or damaged store or model. */
export async function getHealth(db?: string): Promise<Health> {
  let courses: Health["store"]["courses"] = [];
  let storeError: string | undefined;
  let readable = true;
  let servingEarlierVersion = false;
  let version: number | undefined;
  try {
    const snap = await openSnapshot(db);
    if (snap) {
      await verifySnapshot(snap);
      courses = (await listCourses(snap)).map((c) => ({ id: c.id, title: c.title, model: c.model, updatedAt: c.updated_at }));
      servingEarlierVersion = snap.seq !== snap.newestSeq;
      version = snap.seq;
    } else storeError = "no course ingested yet";
  } catch {
    readable = false;
    storeError = "the course store cannot be read (damaged or missing files); an instructor can repair it with npm run ingest -- --rebuild <course folder>";
  }
  let model: Health["model"];
  try {
    const m = await import("./embed");
    const s = await m.getEmbedderStatus();
    model = s.available ? { available: true, modelId: s.modelId } : { available: false, modelId: s.modelId, reason: redactPaths(s.reason) };
  } catch (e) {
    model = { available: false, modelId: "unknown", reason: redactPaths(`embedding runtime failed to load (${(e as Error).message})`) };
  }
  const vectors = courses.some((c) => c.model);
  return {
    ok: !storeError,
    store: { courses, ...(version !== undefined ? { version } : {}), ...(storeError ? { error: storeError } : {}), ...(servingEarlierVersion ? { servingEarlierVersion } : {}) },
    model,
    retrieval: model.available && vectors ? "hybrid" : "fulltext",
    readable,
  };
}
