import { listCourses, openSnapshot } from "./store/read";

export interface Health {
  ok: boolean;
  store: { courses: { id: string; title: string; model: string; updatedAt: string }[]; error?: string };
  model: { available: boolean; modelId: string; reason?: string };
  /** "hybrid" when passages have vectors and the model is loaded, else "fulltext". */
  retrieval: "hybrid" | "fulltext";
}

/** What /api/health reports and the UI banner shows. Never throws for a missing store or model. */
export async function getHealth(): Promise<Health> {
  let courses: Health["store"]["courses"] = [];
  let storeError: string | undefined;
  try {
    const snap = await openSnapshot();
    if (snap) courses = (await listCourses(snap)).map((c) => ({ id: c.id, title: c.title, model: c.model, updatedAt: c.updated_at }));
    else storeError = "no course ingested yet";
  } catch {
    storeError = "store cannot be opened";
  }
  let model: Health["model"];
  try {
    const m = await import("./embed");
    const s = await m.getEmbedderStatus();
    model = s.available ? { available: true, modelId: s.modelId } : { available: false, modelId: s.modelId, reason: s.reason };
  } catch (e) {
    model = { available: false, modelId: "unknown", reason: `embedding runtime failed to load (${(e as Error).message})` };
  }
  const vectors = courses.some((c) => c.model);
  return {
    ok: !storeError,
    store: storeError ? { courses, error: storeError } : { courses },
    model,
    retrieval: model.available && vectors ? "hybrid" : "fulltext",
  };
}
