import { describe, expect, it } from "vitest";
import { answerIdOf, feedbackKey, feedbackOf, withFeedback, withoutFeedback } from "@/components/chat/feedback";
import { sanitizeConversation } from "@/components/chat/storage";
import type { ChatMessage } from "@/components/chat/types";
import { regenerated, showVersion } from "@/components/chat/versions";

const ID = "0b6f4a36-2d0e-4d8a-9a55-3f4f1c2b7e01";
const answer = (text: string, answerId?: string): ChatMessage =>
  ({
    id: "a1",
    role: "assistant",
    parts: [{ type: "text", text }, ...(answerId ? [{ type: "data-insight", data: { answerId } }] : [])],
  }) as ChatMessage;

describe("feedback on an answer (kept in the browser)", () => {
  it("belongs to the answer id the server gave, else to the answer's text; each version of a regenerated answer has its own", () => {
    expect(answerIdOf(answer("x", ID))).toBe(ID);
    expect(feedbackKey(answer("x", ID))).toBe(ID);
    expect(answerIdOf(answer("x"))).toBeUndefined();
    expect(feedbackKey(answer("first"))).not.toBe(feedbackKey(answer("second")));

    const first = withFeedback(answer("first"), { rating: "down", comment: "wrong" });
    const both = regenerated(first, { ...answer("second"), metadata: first.metadata });
    expect(feedbackOf(both)).toBeUndefined(); // the new version has none yet
    const rated = withFeedback(both, { rating: "up" });
    expect(feedbackOf(rated)).toEqual({ rating: "up" });
    expect(feedbackOf(showVersion(rated, 0))).toEqual({ rating: "down", comment: "wrong" });
  });

  it("stays in localStorage's copy with the data-insight part; neither goes out with a chat request", () => {
    const m = withFeedback(answer("x", ID), { rating: "down", comment: "cites the wrong theorem", sent: true });
    const conversation = { id: "c", title: "t", hint: false, updatedAt: 1, messages: [{ id: "u", role: "user", parts: [{ type: "text", text: "q" }] }, m] };
    expect(sanitizeConversation(JSON.parse(JSON.stringify(conversation)))).toEqual(conversation);
    // A tampered feedback entry is dropped, the message kept.
    const bad = { ...conversation, messages: [conversation.messages[0], { ...m, metadata: { feedback: { [ID]: { rating: "meh" } } } }] };
    expect((sanitizeConversation(bad)!.messages[1] as ChatMessage).metadata?.feedback).toBeUndefined();
    expect(withoutFeedback(m).metadata?.feedback).toBeUndefined();
    expect(JSON.stringify(withoutFeedback(m))).not.toContain("cites the wrong theorem");
    // Nor does the answer id: ids sent back with the history would tie one conversation's answers together.
    expect(JSON.stringify(withoutFeedback(m))).not.toContain(ID);
    expect(withoutFeedback(m).parts).toEqual([{ type: "text", text: "x" }]);
    const plain = answer("y");
    expect(withoutFeedback(plain)).toBe(plain);
  });
});
