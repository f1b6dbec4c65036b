import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { TutorUIMessageChunk } from "@/lib/tutor/contract";

/** Merges `patch` into the course.json of a course folder (a copy of the demo course: another id, an `insights` object). */
export function withCourseJson(courseDir: string, patch: Record<string, unknown>): void {
  const file = path.join(courseDir, "course.json");
  const json = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...json, ...patch }, null, 2));
}

/** Every file under `dir` with its size and mtime: what a "nothing was written" check compares. */
export function folderListing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const s = statSync(p);
      out[path.relative(dir, p)] = e.isDirectory() ? `dir ${s.mtimeMs}` : `${s.size} ${s.mtimeMs}`;
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** Whether any file under `dir` holds `needle` (UTF-8 bytes). */
export function folderContains(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle, "utf8");
  const hits: string[] = [];
  for (const [rel, info] of Object.entries(folderListing(dir))) {
    if (info.startsWith("dir ")) continue;
    if (readFileSync(path.join(dir, rel)).includes(bytes)) hits.push(rel);
  }
  return hits;
}

/** A UI message stream response → its chunks. */
export async function readChunks(res: Response): Promise<TutorUIMessageChunk[]> {
  const chunks: TutorUIMessageChunk[] = [];
  for (const event of (await res.text()).split("\n\n")) {
    const line = event.trim();
    if (line.startsWith("data: ") && line !== "data: [DONE]") chunks.push(JSON.parse(line.slice(6)));
  }
  return chunks;
}

export function chatRequest(base: string, question: string, extra: Record<string, unknown> = {}): Request {
  return new Request(`${base}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base, host: new URL(base).host },
    body: JSON.stringify({ id: "chat-1", messages: [{ id: "m0", role: "user", parts: [{ type: "text", text: question }] }], trigger: "submit-message", ...extra }),
  });
}

export function feedbackRequest(base: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${base}/api/feedback`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base, host: new URL(base).host, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
