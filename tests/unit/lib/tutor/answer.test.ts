import { simulateReadableStream } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import type { TutorUIMessageChunk } from "@/lib/tutor/contract";
import { streamAnswer, type PreparedTurn } from "@/lib/tutor/answer";
import { buildSystemPrompt } from "@/lib/tutor/prompt";
import type { CourseRow } from "@/lib/store/schema";
import { ITEMS, passage } from "./fixtures";

const course = { id: "demo", title: "Demo", language: "en", guidance: "" } as CourseRow;

function turn(over: Partial<PreparedTurn> = {}): PreparedTurn {
  const results = [passage()];
  return {
    course,
    items: ITEMS,
    search: { course: "demo", query: "q", resolvedQuery: "q", mode: "hybrid", outOfScope: false, absent: [], results },
    question: "How do I start Exercise 1.41?",
    history: [
      { role: "user", text: "What is Definition 1.42?" },
      { role: "assistant", text: "See [Definition 1.42]." },
    ],
    hint: false,
    system: buildSystemPrompt({ courseTitle: "Demo", hint: false, passages: results, outOfScope: false }),
    ...over,
  };
}

const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 1, text: 1, reasoning: undefined } };

function textModel(deltas: string[]) {
  const chunks: LanguageModelV3StreamPart[] = [
    { type: "text-start", id: "t" },
    ...deltas.map((delta) => ({ type: "text-delta", id: "t", delta }) as LanguageModelV3StreamPart),
    { type: "text-end", id: "t" },
    { type: "finish", finishReason: { unified: "stop", raw: undefined }, usage },
  ];
  return new MockLanguageModelV3({ doStream: async () => ({ stream: simulateReadableStream({ chunks }) }) });
}

async function collect(stream: ReadableStream<TutorUIMessageChunk>): Promise<TutorUIMessageChunk[]> {
  const out: TutorUIMessageChunk[] = [];
  for await (const c of stream as unknown as AsyncIterable<TutorUIMessageChunk>) out.push(c);
  return out;
}

const text = (chunks: TutorUIMessageChunk[]) => chunks.map((c) => (c.type === "text-delta" ? c.delta : "")).join("");
const find = <T extends TutorUIMessageChunk["type"]>(chunks: TutorUIMessageChunk[], type: T) =>
  chunks.filter((c): c is Extract<TutorUIMessageChunk, { type: T }> => c.type === type);

describe("streamAnswer with an LLM", () => {
  it("streams sources, text and verified citations, and sends the prompt and the history to the model", async () => {
    const model = textModel(["Start from ", "[Exercise 1.41] ", "and [Definition 1.42]."]);
    const chunks = await collect(streamAnswer(turn(), { model }));
    expect(chunks.map((c) => c.type)).toEqual(["start", "source-document", "data-prompt", "text-start", "text-delta", "text-delta", "text-delta", "text-end", "data-citations", "finish"]);
    expect(find(chunks, "source-document")[0]).toEqual({
      type: "source-document",
      sourceId: "demo/Section 1.6#0",
      mediaType: "text/plain",
      title: "Chapter 1: Numbers › Section 1.6: More on sets",
      providerMetadata: { tutor: { label: "Section 1.6", refs: ["Exercise 1.41", "Definition 1.42"], citeUrl: "/cite/Section%201.6?course=demo" } },
    });
    expect(find(chunks, "data-citations")[0].data).toEqual({
      citations: [
        { label: "Exercise 1.41", verdict: "verified", citeUrl: "/cite/Exercise%201.41?course=demo" },
        { label: "Definition 1.42", verdict: "verified", citeUrl: "/cite/Definition%201.42?course=demo" },
      ],
      grounded: true,
    });
    const call = model.doStreamCalls[0];
    expect(call.prompt.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(JSON.stringify(call.prompt[0])).toContain('<passage n=\\"1\\" label=\\"Section 1.6\\"');
    expect(JSON.stringify(call.prompt.at(-1))).toContain("How do I start Exercise 1.41?");
  });

  it("marks an answer whose citations do not verify as ungrounded", async () => {
    const chunks = await collect(streamAnswer(turn(), { model: textModel(["As shown in [Exercise 9.99]."]) }));
    expect(find(chunks, "data-citations")[0].data).toEqual({ citations: [{ label: "Exercise 9.99", verdict: "unknown" }], grounded: false });
    expect(find(chunks, "data-notice").map((n) => n.data.kind)).toEqual(["ungrounded"]);
    expect(chunks.at(-1)?.type).toBe("finish");
  });

  it("notices full-text-only retrieval and out-of-scope questions up front", async () => {
    const t = turn();
    t.search = { ...t.search, mode: "fulltext", outOfScope: true };
    const chunks = await collect(streamAnswer(t, { model: textModel(["The notes do not cover this."]) }));
    expect(find(chunks, "data-notice").map((n) => n.data.kind)).toEqual(["fulltext-only", "out-of-scope"]);
    expect(chunks.findIndex((c) => c.type === "data-notice")).toBeLessThan(chunks.findIndex((c) => c.type === "text-start"));
  });

  it("ends a stream that breaks midway with a notice and a safe error part, last", async () => {
    const model = new MockLanguageModelV3({
      doStream: async () => ({
        stream: new ReadableStream<LanguageModelV3StreamPart>({
          start(c) {
            c.enqueue({ type: "text-start", id: "t" });
            c.enqueue({ type: "text-delta", id: "t", delta: "Partial [Exercise 1.41]" });
            // Later, as a socket would: an error in start() would discard what was enqueued.
            setTimeout(() => c.error(new TypeError("terminated: secret upstream detail")), 10);
          },
        }),
      }),
    });
    const chunks = await collect(streamAnswer(turn(), { model }));
    expect(text(chunks)).toBe("Partial [Exercise 1.41]");
    const types = chunks.map((c) => c.type);
    expect(types.slice(-4)).toEqual(["text-end", "data-citations", "data-notice", "error"]);
    expect(find(chunks, "data-notice")[0].data.kind).toBe("upstream-error");
    const error = find(chunks, "error")[0];
    expect(error.errorText).toMatch(/broke off/);
    expect(JSON.stringify(chunks)).not.toContain("secret");
  });

  it("times out when the model goes silent, and aborts the upstream call", async () => {
    let upstreamAborted = false;
    const model = new MockLanguageModelV3({
      doStream: async ({ abortSignal }) => ({
        stream: new ReadableStream<LanguageModelV3StreamPart>({
          start(c) {
            c.enqueue({ type: "text-start", id: "t" });
            c.enqueue({ type: "text-delta", id: "t", delta: "Thinking" });
            abortSignal?.addEventListener("abort", () => {
              upstreamAborted = true;
              c.error(new DOMException("aborted", "AbortError"));
            });
          },
        }),
      }),
    });
    const chunks = await collect(streamAnswer(turn(), { model, timeoutMs: 150 }));
    expect(upstreamAborted).toBe(true);
    expect(find(chunks, "data-notice")[0].data).toMatchObject({ kind: "timeout" });
    // Part of the answer had arrived: the notice says the model stopped, not that it never answered.
    expect(chunks.at(-1)).toMatchObject({ type: "error", errorText: expect.stringMatching(/stopped sending for 0\.\d s, so the answer stops here/) });
  });

  it("an empty answer (only whitespace) is an error the student can retry, not a blank bubble", async () => {
    const chunks = await collect(streamAnswer(turn(), { model: textModel(["  ", "\n"]) }));
    expect(find(chunks, "data-notice").at(-1)?.data).toEqual({ kind: "upstream-error", message: "The language model returned an empty answer. Please try again." });
    expect(chunks.at(-1)).toMatchObject({ type: "error" });
    expect(find(chunks, "finish")).toEqual([]);
  });

  it("stops generation when the client goes away", async () => {
    let upstreamAborted = false;
    const client = new AbortController();
    const model = new MockLanguageModelV3({
      doStream: async ({ abortSignal }) => ({
        stream: new ReadableStream<LanguageModelV3StreamPart>({
          start(c) {
            c.enqueue({ type: "text-start", id: "t" });
            c.enqueue({ type: "text-delta", id: "t", delta: "Hello" });
            setTimeout(() => client.abort(), 20);
            abortSignal?.addEventListener("abort", () => {
              upstreamAborted = true;
              c.error(new DOMException("aborted", "AbortError"));
            });
          },
        }),
      }),
    });
    const chunks = await collect(streamAnswer(turn(), { model, signal: client.signal, timeoutMs: 10_000 }));
    expect(upstreamAborted).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ type: "abort" });
    expect(find(chunks, "error")).toEqual([]);
  });
});

describe("streamAnswer without an LLM", () => {
  it("quotes the passages with citations, sends a ready prompt, and verifies like any answer", async () => {
    const chunks = await collect(streamAnswer(turn(), { model: null }));
    expect(chunks.map((c) => c.type)).toEqual(["start", "source-document", "data-notice", "data-prompt", "text-start", "text-delta", "text-end", "data-citations", "finish"]);
    expect(find(chunks, "data-notice")[0].data.kind).toBe("no-llm");
    const answer = text(chunks);
    expect(answer).toContain("### [Section 1.6] More on sets");
    expect(answer).toContain("> Exercise 1.41: Prove that");
    expect(answer).toContain("Related exercises: [Exercise 1.41]");
    const prompt = find(chunks, "data-prompt")[0].data.prompt;
    expect(prompt).toContain("<course-notes>");
    expect(prompt).toContain("Student: What is Definition 1.42?");
    expect(prompt).toMatch(/<student-question>\nHow do I start Exercise 1\.41\?\n<\/student-question>/);
    expect(find(chunks, "data-citations")[0].data.grounded).toBe(true);
  });
});
