import type { LanguageModelV3, LanguageModelV3Prompt, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { APICallError, createUIMessageStream, RetryError } from "ai";
import { findPassages, type HistoryTurn, type SearchResponse, type SearchResult } from "../retrieve/search";
import { coursePrintedLabels } from "../cite/printed-lookup";
import { extractRefs, refLabel } from "../cite/refs";
import { withheldSentence, type WithholdView } from "../policy/withhold";
import { courseWithholding, listCourseItems, requireSnapshot, resolveCourse } from "../store/read";
import type { CourseRow, ItemRow } from "../store/schema";
import { log } from "../log";
import { checkAnswerCitations } from "./citations";
import { citeUrl, type CitationsData, type NoticeData, type TutorUIMessage, type TutorUIMessageChunk } from "./contract";
import { buildNoLlmAnswer } from "./no-llm";
import { absentSentence, buildCopyPrompt, buildSystemPrompt, fitHistory, passageLabel, type ConversationTurn } from "./prompt";

export interface TutorQuestion {
  question: string;
  /** Earlier turns, oldest first. */
  history?: HistoryTurn[];
  course?: string;
  defaultCourse?: string;
  /** Hint mode: Socratic, no full exercise solutions. */
  hint?: boolean;
  db?: string;
  /** Passages to retrieve (default 5). */
  k?: number;
}

/** Everything decided before the answer streams: retrieval, the course, the prompt. */
export interface PreparedTurn {
  course: CourseRow;
  items: ItemRow[];
  /** The figures, tables and equations the course prints (label → passage id): citable like items. */
  printedLabels?: ReadonlyMap<string, string>;
  search: SearchResponse;
  question: string;
  /** The history that goes to the model (token-bounded). */
  history: ConversationTurn[];
  hint: boolean;
  system: string;
  /** The exercises the question is about whose solutions are not released: hint mode was forced, and the student is told why. */
  withheld?: NoticeData;
}

/**
 * Retrieval and prompt for one question. Throws TutorError (unknown course, empty store, …) before anything
 * streams, so a route can still answer with a status and a reason.
 */
export async function prepareTurn(q: TutorQuestion): Promise<PreparedTurn> {
  const search = await findPassages({ question: q.question, course: q.course, defaultCourse: q.defaultCourse, k: q.k ?? 5, db: q.db, history: q.history });
  const snap = await requireSnapshot(q.db);
  const course = await resolveCourse(snap, search.course);
  const [items, printedLabels] = await Promise.all([listCourseItems(snap, course.id), coursePrintedLabels(snap, course.id)]);
  const view = await courseWithholding(snap, course.id);
  // The solutions policy: an exercise the question names (a follow-up's resolved question counts) whose
  // solution is not released is answered in hint mode whatever the toggle says.
  const named = withheldNamed(search.resolvedQuery || q.question, view);
  const inPassages = [...new Set(search.results.flatMap((r) => r.refs))].filter((l) => view.rules.has(l) && !named.includes(l));
  const sentence = (label: string) => withheldSentence(label, view.rules.get(label)!);
  const hint = !!q.hint || named.length > 0;
  const system = buildSystemPrompt({
    withheld: [...named, ...inPassages].map((label) => ({ label, hidden: view.rules.get(label)!.solutions === "hidden", sentence: sentence(label) })),
    courseTitle: course.title || course.id,
    guidance: course.guidance,
    hint,
    passages: search.results,
    outOfScope: search.outOfScope,
    unsure: search.scope?.verdict === "unsure",
    absent: search.absent,
  });
  const history = fitHistory((q.history ?? []).map((t) => ({ role: t.role, text: t.text })));
  const withheld: NoticeData | undefined = named.length
    ? { kind: "solutions-withheld", message: `${named.map(sentence).join(" ")} The tutor answers in hint mode: hints and guiding questions, no full solution.` }
    : undefined;
  return { course, items, printedLabels, search, question: q.question, history, hint, system, ...(withheld ? { withheld } : {}) };
}

/** The exercises a question names, in order, whose solutions the policy withholds now. */
function withheldNamed(question: string, view: WithholdView): string[] {
  if (!view.rules.size) return [];
  const out: string[] = [];
  for (const ref of extractRefs(question)) {
    const label = ref.kind === "exercise" ? refLabel(ref) : null;
    if (label && view.rules.has(label) && !out.includes(label)) out.push(label);
  }
  return out;
}

export interface AnswerOptions {
  /** The chat model; null → the no-LLM answer (quoted passages + a ready prompt). */
  model: LanguageModelV3 | null;
  /** Longest wait for the first token and between tokens. */
  timeoutMs?: number;
  /** Aborts generation upstream (the client went away). */
  signal?: AbortSignal;
  /** `max_tokens` of the call, and the most answer tokens kept even if the upstream ignores it (default 2000). */
  maxOutputTokens?: number;
  /** Longest time the whole answer may stream (default 180 s); past it the answer so far is kept, with a notice. */
  answerMaxMs?: number;
  /** Told once what the answer cost (prompt + output tokens; estimated when the provider reports none). */
  onUsage?: (tokens: number) => void;
  /**
   * Told once when an answer is complete (not when it failed or the client went away), with what the
   * citation check found; insights record it (lib/insights/record.ts). With `answerId`, a `data-insight`
   * part names the answer to the browser, before `finish`.
   */
  onAnswered?: (outcome: AnswerOutcome) => void;
  answerId?: string;
}

export interface AnswerOutcome {
  mode: "llm" | "no-llm";
  citations: CitationsData;
  /** Cut short at the time or length cap (what arrived is kept). */
  truncated: boolean;
}

/** A rough token count (about 4 characters a token) for providers that report no usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

const ANSWER_TEXT_ID = "answer";

/** Safe, user-facing messages; details go to the log. */
function describeFailure(e: unknown, timedOut: boolean, timeoutMs: number, started: boolean): NoticeData {
  if (timedOut) {
    const s = timeoutMs >= 10_000 ? Math.round(timeoutMs / 1000) : Number((timeoutMs / 1000).toFixed(1));
    return {
      kind: "timeout",
      message: started
        ? `The language model stopped sending for ${s} s, so the answer stops here. Please try again.`
        : `The language model did not respond within ${s} s. Please try again.`,
    };
  }
  if (e instanceof EmptyAnswerError) return { kind: "upstream-error", message: "The language model returned an empty answer. Please try again." };
  const inner = RetryError.isInstance(e) ? e.lastError : e;
  if (APICallError.isInstance(inner) && inner.statusCode && inner.statusCode >= 400) {
    return { kind: "upstream-error", message: `The language model service returned an error (HTTP ${inner.statusCode}). Please try again in a moment.` };
  }
  // A 2xx APICallError is a response that broke off midway ("Failed to process successful response").
  if (APICallError.isInstance(inner) ? !inner.statusCode : inner instanceof Error && /fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN/i.test(`${inner.message} ${String(inner.cause ?? "")}`)) {
    return { kind: "upstream-error", message: "The language model service could not be reached. Please try again in a moment." };
  }
  return { kind: "upstream-error", message: "The connection to the language model broke off before the answer was complete. Please try again." };
}

function formatSeconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${Number((ms / 1000).toFixed(1))} s`;
}

/** The model finished without writing anything. */
class EmptyAnswerError extends Error {}

function notice(kind: NoticeData["kind"], message: string): TutorUIMessageChunk {
  return { type: "data-notice", data: { kind, message } };
}

function sourceParts(course: string, results: SearchResult[]): TutorUIMessageChunk[] {
  return results.map((r) => ({
    type: "source-document",
    sourceId: r.id,
    mediaType: "text/plain",
    title: r.headingPath,
    providerMetadata: { tutor: { label: passageLabel(r), refs: r.refs, citeUrl: citeUrl(passageLabel(r), course) } },
  }));
}

/** Where an answer's chunks go: the UI message stream's writer, or the SSE response (lib/tutor/answer-response.ts). */
export interface ChunkWriter {
  write(chunk: TutorUIMessageChunk): void;
}

/** What a student sees when the answer itself threw (a bug, not an upstream failure); details go to the log. */
export function answerCrashed(e: unknown): string {
  log.error({ err: e instanceof Error ? { message: e.message, stack: e.stack } : e }, "tutor stream failed");
  return "The answer could not be completed. Please try again.";
}

/**
 * The answer as an AI SDK UI message stream (the contract in docs/ARCHITECTURE.md): sources, notices, the
 * text, then `data-citations` with a verdict per cited label. Never throws into the stream consumer: an
 * upstream failure, a timeout or a broken stream ends the answer with a `data-notice` and an `error` part.
 */
export function streamAnswer(turn: PreparedTurn, opts: AnswerOptions): ReadableStream<TutorUIMessageChunk> {
  return createUIMessageStream<TutorUIMessage>({ onError: answerCrashed, execute: ({ writer }) => writeAnswer(turn, opts, writer) });
}

/** Writes one answer's chunks (streamAnswer's contract) to `writer`; resolves when the answer is complete. */
export async function writeAnswer(turn: PreparedTurn, opts: AnswerOptions, writer: ChunkWriter): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxOutputTokens = opts.maxOutputTokens ?? 2000;
  const answerMaxMs = opts.answerMaxMs ?? 180_000;
  const courseId = turn.course.id;
  writer.write({ type: "start" });
  for (const part of sourceParts(courseId, turn.search.results)) writer.write(part);
  if (turn.search.mode === "fulltext") {
    writer.write(notice("fulltext-only", "The embedding model is not available: passages were found by full-text search only, so related passages may be missed."));
  }
  if (turn.search.absent?.length) writer.write(notice("absent-label", absentSentence(turn.search.absent)));
  if (turn.search.outOfScope) writer.write(notice("out-of-scope", "The notes do not seem to cover this question."));
  if (turn.withheld) writer.write(notice(turn.withheld.kind, turn.withheld.message));
  // The ready-to-copy prompt (course guidance, passages, conversation), whether or not an LLM answers here.
  const writePrompt = () =>
    writer.write({ type: "data-prompt", data: { prompt: buildCopyPrompt({ system: turn.system, history: turn.history, question: turn.question }) } });

  const finishWithCitations = (text: string): CitationsData => {
    const checked = checkAnswerCitations({ answer: text, items: turn.items, retrieved: turn.search.results, course: courseId, printed: turn.printedLabels });
    writer.write({ type: "data-citations", data: checked });
    return checked;
  };

  const answered = (outcome: AnswerOutcome) => {
    try {
      opts.onAnswered?.(outcome);
    } catch (e) {
      log.error({ err: (e as Error).message }, "recording an answered question failed");
      return;
    }
    if (opts.answerId) writer.write({ type: "data-insight", data: { answerId: opts.answerId } });
  };

  if (!opts.model) {
    writer.write(notice("no-llm", "No language model is configured: showing the most relevant passages of the notes and a prompt you can copy into a chatbot."));
    writePrompt();
    const text = buildNoLlmAnswer({
      results: turn.search.results,
      outOfScope: turn.search.outOfScope,
      absent: turn.search.absent,
      hint: turn.hint,
      // A follow-up ("a hint for (b)?") is resolved against earlier turns: it names their exercise.
      question: turn.search.resolvedQuery || turn.question,
      items: turn.items,
    });
    writer.write({ type: "text-start", id: ANSWER_TEXT_ID });
    writer.write({ type: "text-delta", id: ANSWER_TEXT_ID, delta: text });
    writer.write({ type: "text-end", id: ANSWER_TEXT_ID });
    answered({ mode: "no-llm", citations: finishWithCitations(text), truncated: false });
    writer.write({ type: "finish", finishReason: "stop" });
    return;
  }

  writePrompt();
  // One controller aborts the upstream call, for either reason; which one fired decides the message.
  const controller = new AbortController();
  let timedOut = false;
  // Why the answer was cut short on purpose ("time" or "length"); the text so far is kept. An object, not a
  // let: it is set in a timer callback, which TypeScript's narrowing does not see.
  const cap: { why: "time" | "length" | null } = { why: null };
  let clientGone = false;
  const onClientAbort = () => {
    clientGone = true;
    controller.abort(opts.signal?.reason);
  };
  if (opts.signal?.aborted) onClientAbort();
  else opts.signal?.addEventListener("abort", onClientAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Re-armed at every token: refresh() moves the one timer instead of making a new one per token.
  const armTimer = () => {
    if (timer) timer.refresh();
    else
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new Error("timeout"));
      }, timeoutMs);
  };

  // The provider's own stream (LanguageModelV3.doStream), not streamText: one answer, no tools, no retries
  // (a hidden retry with backoff would eat into the idle timeout) — and streamText's layers of web streams,
  // promises and telemetry per token were a third of the server's CPU per answer at 50 connections.
  const prompt: LanguageModelV3Prompt = [
    { role: "system", content: turn.system },
    ...turn.history.map((t) => ({ role: t.role, content: [{ type: "text" as const, text: t.text }] })),
    { role: "user", content: [{ type: "text", text: turn.question }] },
  ];
  let text = "";
  let started = false;
  let failure: unknown;
  let reportedTokens: number | undefined;
  let reader: ReadableStreamDefaultReader<LanguageModelV3StreamPart> | undefined;
  armTimer();
  // The overall cap: an upstream that trickles tokens never trips the idle timeout.
  const capTimer = setTimeout(() => {
    cap.why = "time";
    controller.abort(new Error("answer time cap"));
  }, answerMaxMs);
  try {
    const { stream } = await opts.model.doStream({ prompt, maxOutputTokens, abortSignal: controller.signal });
    reader = stream.getReader();
    for (;;) {
      const { done, value: part } = await reader.read();
      if (done) break;
      armTimer();
      if (part.type === "text-delta") {
        if (!part.delta) continue;
        if (!started) writer.write({ type: "text-start", id: ANSWER_TEXT_ID });
        started = true;
        text += part.delta;
        writer.write({ type: "text-delta", id: ANSWER_TEXT_ID, delta: part.delta });
        // An upstream that ignores max_tokens is cut off here (estimated tokens, a little generous).
        if (estimateTokens(text) > maxOutputTokens * 1.25) {
          cap.why = "length";
          controller.abort(new Error("answer token cap"));
          break;
        }
      } else if (part.type === "finish") {
        if (part.finishReason.unified === "length") cap.why = "length";
        const input = part.usage.inputTokens.total;
        const output = part.usage.outputTokens.total;
        if (input !== undefined || output !== undefined) reportedTokens = (input ?? 0) + (output ?? 0);
      } else if (part.type === "error") {
        // Our own abort at a cap may surface as an error part: the answer so far stands.
        if (!cap.why) failure = part.error;
        break;
      }
    }
  } catch (e) {
    if (!cap.why) failure = e;
  } finally {
    // Stopped early (a cap, an error part): let go of the upstream stream.
    reader?.cancel().catch(() => {});
    clearTimeout(timer);
    clearTimeout(capTimer);
    opts.signal?.removeEventListener("abort", onClientAbort);
  }
  // What the answer cost, for the usage budgets: the provider's count, else an estimate of prompt + text.
  const promptChars = turn.system.length + turn.question.length + turn.history.reduce((sum, t) => sum + t.text.length, 0);
  opts.onUsage?.(reportedTokens ?? Math.ceil(promptChars / 4) + estimateTokens(text));
  if (clientGone) {
    log.info({ course: courseId }, "client went away; generation aborted");
    writer.write({ type: "abort", reason: "client disconnected" });
    return;
  }
  if (cap.why && !failure && text.trim()) {
    if (started) writer.write({ type: "text-end", id: ANSWER_TEXT_ID });
    const capped = finishWithCitations(text);
    writer.write(
      notice(
        "truncated",
        cap.why === "time"
          ? `The answer was stopped after ${formatSeconds(answerMaxMs)}, the longest an answer may take; what arrived is kept above.`
          : `The answer reached its length limit (${maxOutputTokens.toLocaleString("en-US")} tokens) and stops here; ask a narrower question for the rest.`,
      ),
    );
    answered({ mode: "llm", citations: capped, truncated: true });
    writer.write({ type: "finish", finishReason: "length" });
    return;
  }
  if (cap.why && !failure) {
    // Capped before a word arrived: the same as an upstream that never answered.
    timedOut = true;
  }
  if (timedOut && !failure) failure = new Error("timeout");
  if (!failure && !text.trim()) failure = new EmptyAnswerError("empty answer");
  if (started) writer.write({ type: "text-end", id: ANSWER_TEXT_ID });
  const checked = finishWithCitations(text);
  if (failure) {
    const n = describeFailure(failure, timedOut, timeoutMs, started);
    log.warn({ course: courseId, kind: n.kind, err: failure instanceof Error ? { name: failure.name, message: failure.message } : String(failure) }, "LLM answer failed");
    writer.write(notice(n.kind, n.message));
    // Last: useChat stops reading at an error part.
    writer.write({ type: "error", errorText: n.message });
    return;
  }
  if (!checked.grounded && !(turn.search.outOfScope && !checked.citations.length)) {
    writer.write(
      notice(
        "ungrounded",
        checked.citations.length
          ? "None of this answer's citations could be verified against the passages of the notes it was given. Treat it with care and check the notes."
          : "This answer cites no passage of the notes, so it could not be checked against them. Treat it with care.",
      ),
    );
  }
  answered({ mode: "llm", citations: checked, truncated: false });
  writer.write({ type: "finish", finishReason: "stop" });
}
