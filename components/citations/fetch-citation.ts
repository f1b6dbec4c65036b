import type { Candidate, CitedItem } from "@/lib/cite/lookup";

export type Loaded =
  | { status: "loading" }
  | { status: "found"; item: CitedItem }
  | { status: "ambiguous"; candidates: Candidate[] }
  | { status: "not-found"; message: string; suggestions: string[] }
  | { status: "error"; message: string };

/** GET /api/cite → what the panel and the preview card show. */
export async function fetchCitation(label: string, course: string | undefined, signal?: AbortSignal): Promise<Loaded> {
  const q = new URLSearchParams({ ref: label });
  if (course) q.set("course", course);
  let res: Response;
  try {
    res = await fetch(`/api/cite?${q}`, { signal, headers: { accept: "application/json" } });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    return { status: "error", message: "The passage could not be loaded (network error)." };
  }
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (res.ok && body && Array.isArray(body.candidates)) return { status: "ambiguous", candidates: body.candidates as Candidate[] };
  if (res.ok && body && typeof body.text === "string") return { status: "found", item: body as unknown as CitedItem };
  if (res.status === 404 && body?.error === "not-found") {
    return { status: "not-found", message: String(body.message ?? "No such label in these notes."), suggestions: (body.suggestions as string[]) ?? [] };
  }
  return { status: "error", message: typeof body?.message === "string" ? body.message : `The passage could not be loaded (HTTP ${res.status}).` };
}

/** Previews seen in this page: hovering the same chip twice asks the server once (failures are asked again). */
const previews = new Map<string, Promise<Loaded>>();

export function fetchPreview(label: string, course: string | undefined): Promise<Loaded> {
  const key = `${course ?? ""}\u0000${label}`;
  let p = previews.get(key);
  if (!p) {
    p = fetchCitation(label, course).then((r) => {
      if (r.status === "error") previews.delete(key);
      return r;
    });
    previews.set(key, p);
    if (previews.size > 200) previews.delete(previews.keys().next().value!);
  }
  return p;
}
