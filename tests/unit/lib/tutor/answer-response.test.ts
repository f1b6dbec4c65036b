import { createUIMessageStreamResponse, simulateReadableStream } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { streamAnswer, type PreparedTurn } from "@/lib/tutor/answer";
import { answerResponse } from "@/lib/tutor/answer-response";
import { buildSystemPrompt } from "@/lib/tutor/prompt";
import type { CourseRow } from "@/lib/store/schema";
import { ITEMS, passage } from "./fixtures";

const course = { id: "demo", title: "Demo", language: "en", guidance: "" } as CourseRow;
const results = [passage()];
const turn: PreparedTurn = {
  course,
  items: ITEMS,
  search: { course: "demo", query: "q", resolvedQuery: "q", mode: "fulltext", outOfScope: false, absent: [], results },
  question: "How do I start Exercise 1.41?",
  history: [],
  hint: false,
  system: buildSystemPrompt({ courseTitle: "Demo", hint: false, passages: results, outOfScope: false }),
};
const usage = { inputTokens: { total: 3, noCache: 3, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 4, text: 4, reasoning: undefined } };

function model(parts: LanguageModelV3StreamPart[], delayMs = 0) {
  return new MockLanguageModelV3({ doStream: async () => ({ stream: simulateReadableStream({ chunks: parts, chunkDelayInMs: delayMs }) }) });
}
const answer = (deltas: string[]): LanguageModelV3StreamPart[] => [
  { type: "text-start", id: "t" },
  ...deltas.map((delta) => ({ type: "text-delta", id: "t", delta }) as LanguageModelV3StreamPart),
  { type: "text-end", id: "t" },
  { type: "finish", finishReason: { unified: "stop", raw: undefined }, usage },
];

describe("answerResponse: the chat's SSE written straight into one byte stream", () => {
  // The wire format is the AI SDK's (useChat parses it): the same bytes and headers as the SDK's own chain.
  const cases: [string, () => MockLanguageModelV3 | null][] = [
    ["an answer with a citation", () => model(answer(["By [Exercise 1.41], ", "start from ", "the definition."]), 2)],
    ["an answer that cites nothing (ungrounded notice)", () => model(answer(["Just think."]))],
    ["an upstream error part", () => model([{ type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: "Part" }, { type: "error", error: new Error("boom") }])],
    ["no LLM", () => null],
  ];
  for (const [name, make] of cases) {
    it(`${name}: byte for byte what createUIMessageStreamResponse(streamAnswer(…)) sends`, async () => {
      const ours = answerResponse(turn, { model: make() });
      const sdk = createUIMessageStreamResponse({ stream: streamAnswer(turn, { model: make() }), headers: { "cache-control": "no-store" } });
      // The start chunk's messageId is random in both.
      const sameIds = (t: string) => t.replace(/"messageId":"[^"]+"/, '"messageId":"ID"');
      const [a, b] = [await ours.text(), await sdk.text()];
      expect(a).toMatch(/^data: \{"type":"start","messageId":"[^"]+"\}/);
      expect(sameIds(a)).toBe(sameIds(b));
      expect(Object.fromEntries(ours.headers)).toEqual(Object.fromEntries(sdk.headers));
    });
  }

  it("batches writes: tokens that arrive together go out as one chunk, not one socket write each", async () => {
    const tokens = Array.from({ length: 30 }, (_, i) => `w${i} `);
    const res = answerResponse(turn, { model: model(answer(tokens)) });
    const reader = res.body!.getReader();
    const chunks: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(new TextDecoder().decode(value));
    }
    const events = chunks.join("").split("\n\n").filter(Boolean);
    expect(events.filter((e) => e.includes('"text-delta"'))).toHaveLength(30);
    // start…prompt at once, the tokens, then the end: a handful of chunks for 40 events.
    expect(events.length).toBeGreaterThan(35);
    expect(chunks.length).toBeLessThanOrEqual(4);
  });

  it("reports the answer's cost once, the provider's count", async () => {
    const costs: number[] = [];
    await answerResponse(turn, { model: model(answer(["A [Exercise 1.41]."])), onUsage: (t) => costs.push(t) }).text();
    expect(costs).toEqual([7]);
  });

  it("a client that goes away mid-answer stops reading without an error thrown anywhere", async () => {
    const res = answerResponse(turn, { model: model(answer(Array.from({ length: 50 }, (_, i) => `w${i} `)), 5) });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    // Nothing left to read, and the answer's own promise settled quietly (no unhandled rejection fails the run).
    await new Promise((r) => setTimeout(r, 400));
  });
});
