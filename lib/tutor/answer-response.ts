import { generateId, UI_MESSAGE_STREAM_HEADERS } from "ai";
import { answerCrashed, writeAnswer, type AnswerOptions, type PreparedTurn } from "./answer";
import type { TutorUIMessageChunk } from "./contract";

/**
 * The HTTP response of one answer: the UI message stream (docs/ARCHITECTURE.md, "Chat stream contract") as the
 * AI SDK's SSE (`data: <chunk JSON>\n\n` … `data: [DONE]\n\n`, its headers), byte for byte what
 * `createUIMessageStreamResponse(streamAnswer(…))` sends but for the random message id (a unit test compares them). Written straight into one
 * byte stream instead of through the SDK's chain (UI message stream → JSON-to-SSE → TextEncoderStream): three
 * web-stream stages per chunk cost more CPU than the rest of an answer's streaming at 50 connections. Writes
 * are batched: what is written in the same tick (the sources and notices before the answer, the citations and
 * finish after it) goes out as one chunk, and tokens go out at most every FLUSH_GAP_MS — the first at once, the
 * ones arriving meanwhile together. Each chunk costs a socket write and a trip through Next's response pipe, so
 * a 40-token/s model's answer costs half the writes, and a student still sees the text move 20 times a second.
 */
export const FLUSH_GAP_MS = 50;

export function answerResponse(turn: PreparedTurn, opts: AnswerOptions): Response {
  const encoder = new TextEncoder();
  let pending = "";
  let closed = false;
  let lastFlush = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let scheduled = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const flush = () => {
    scheduled = false;
    clearTimeout(timer);
    if (!pending || closed) return;
    lastFlush = performance.now();
    try {
      controller.enqueue(encoder.encode(pending));
    } catch {
      closed = true; // the client went away (the route's abort signal stops the answer)
    }
    pending = "";
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    const wait = lastFlush + FLUSH_GAP_MS - performance.now();
    if (wait <= 0) queueMicrotask(flush);
    else timer = setTimeout(flush, wait);
  };
  const write = (chunk: TutorUIMessageChunk | "[DONE]") => {
    if (closed) return;
    // The response message's id, as the SDK's stream gives it to useChat.
    const sent = typeof chunk === "string" ? chunk : JSON.stringify(chunk.type === "start" && chunk.messageId == null ? { ...chunk, messageId: generateId() } : chunk);
    pending += `data: ${sent}\n\n`;
    schedule();
  };
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      writeAnswer(turn, opts, { write })
        .catch((e: unknown) => write({ type: "error", errorText: answerCrashed(e) }))
        .finally(() => {
          write("[DONE]");
          flush();
          if (closed) return;
          closed = true;
          try {
            controller.close();
          } catch {
            /* cancelled meanwhile */
          }
        });
    },
    cancel() {
      closed = true;
      clearTimeout(timer);
    },
  });
  return new Response(body, { headers: { ...UI_MESSAGE_STREAM_HEADERS, "cache-control": "no-store" } });
}
