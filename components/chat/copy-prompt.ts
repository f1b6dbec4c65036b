import type { CitedItem } from "@/lib/cite/lookup";
import { extractRefs, refLabel } from "@/lib/cite/refs";
import type { CitationsData, PromptData, SourceMeta } from "@/lib/tutor/contract";
import { buildCopyPrompt, buildSystemPrompt, type ConversationTurn } from "@/lib/tutor/prompt";
import type { ChatMessage } from "./types";

const MAX_PASSAGES = 6;

export function messageText(m: ChatMessage): string {
  return m.parts
    .map((p) => (p.type === "text" ? p.text : ""))
    .join("")
    .trim();
}

export function dataPart<K extends "citations" | "notice" | "prompt">(m: ChatMessage, kind: K) {
  return m.parts.filter((p) => p.type === `data-${kind}`).map((p) => (p as { data: unknown }).data) as (K extends "citations"
    ? CitationsData
    : K extends "prompt"
      ? PromptData
      : { kind: string; message: string })[];
}

export function sourcesOf(m: ChatMessage): { id: string; title: string; meta?: SourceMeta }[] {
  return m.parts.flatMap((p) =>
    p.type === "source-document"
      ? [{ id: p.sourceId, title: p.title, meta: (p.providerMetadata as { tutor?: SourceMeta } | undefined)?.tutor }]
      : [],
  );
}

/** The labels a prompt for this answer should quote: its checked citations, else the references in question and answer. */
function labelsFor(question: string, answer: ChatMessage | undefined): string[] {
  const checked = answer ? dataPart(answer, "citations").at(-1) : undefined;
  const labels = checked
    ? checked.citations.filter((c) => c.verdict !== "unknown").map((c) => c.label)
    : extractRefs(`${question}\n${answer ? messageText(answer) : ""}`).flatMap((r) => refLabel(r) ?? []);
  if (!labels.length && answer) labels.push(...sourcesOf(answer).flatMap((s) => (s.meta?.label ? [s.meta.label] : [])));
  return [...new Set(labels)].slice(0, MAX_PASSAGES);
}

async function fetchItem(label: string, course: string | undefined): Promise<CitedItem | null> {
  const q = new URLSearchParams({ ref: label });
  if (course) q.set("course", course);
  try {
    const res = await fetch(`/api/cite?${q}`);
    const body = (await res.json()) as CitedItem;
    return res.ok && typeof body.text === "string" ? body : null;
  } catch {
    return null;
  }
}

/**
 * A self-contained prompt for another chatbot about the question that `answerIndex` answers: the course's
 * tutoring rules, the exact text of the passages it cites, the conversation before it and the question.
 * The server's own prompt (the answer's data-prompt part, with the course's guidance) is used as it is when the answer carries one.
 */
export async function promptForAnswer(opts: {
  messages: ChatMessage[];
  answerIndex: number;
  course?: string;
  courseTitle: string;
  hint: boolean;
}): Promise<string> {
  const answer = opts.messages[opts.answerIndex];
  const given = answer ? dataPart(answer, "prompt").at(-1)?.prompt : undefined;
  if (given) return given;
  let qi = opts.answerIndex;
  while (qi >= 0 && opts.messages[qi].role !== "user") qi--;
  const question = qi >= 0 ? messageText(opts.messages[qi]) : "";
  const history: ConversationTurn[] = opts.messages
    .slice(0, Math.max(qi, 0))
    .filter((m) => m.role === "user" || m.role === "assistant")
    .map((m) => ({ role: m.role as "user" | "assistant", text: messageText(m) }))
    .filter((t) => t.text);
  const items = (await Promise.all(labelsFor(question, answer).map((l) => fetchItem(l, opts.course)))).filter((x): x is CitedItem => !!x);
  const passages = items.map((it) => ({ label: it.label, section: it.label, refs: [] as string[], headingPath: [...it.path, it.label].join(" › "), text: `${it.label}${it.title ? ` (${it.title})` : ""}: ${it.text}` }));
  const system = buildSystemPrompt({ courseTitle: opts.courseTitle, hint: opts.hint, passages, outOfScope: passages.length === 0 });
  return buildCopyPrompt({ system, history, question });
}

/** Clipboard with a fallback for browsers that refuse the async API (no permission, insecure origin). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.appendChild(ta);
    ta.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    ta.remove();
    return ok;
  }
}
