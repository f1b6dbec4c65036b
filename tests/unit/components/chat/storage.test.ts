import { describe, expect, it } from "vitest";
import { listConversations, saveConversation, sanitizeConversation } from "@/components/chat/storage";

const good = {
  id: "c1",
  title: "Exercise 1.41",
  hint: false,
  updatedAt: 1,
  messages: [
    { id: "u1", role: "user", parts: [{ type: "text", text: "ex 1.41?" }] },
    {
      id: "a1",
      role: "assistant",
      parts: [
        { type: "step-start" },
        { type: "data-notice", data: { kind: "fulltext-only", message: "full text" } },
        { type: "source-document", sourceId: "imo-demo/Section 1.6#2", mediaType: "text/plain", title: "Section 1.6" },
        { type: "text", text: "By [Exercise 1.41] …", state: "done" },
        { type: "data-citations", data: { grounded: true, citations: [{ label: "Exercise 1.41", verdict: "verified", citeUrl: "/cite/x" }] } },
      ],
      metadata: { hint: true },
    },
  ],
};

describe("sanitizeConversation (conversations read back from localStorage)", () => {
  it("keeps a well-formed conversation as it was", () => {
    expect(sanitizeConversation(good)).toEqual(good);
  });

  it("drops malformed messages and parts instead of letting them crash the page", () => {
    const broken = {
      ...good,
      messages: [
        null,
        { id: "x", role: "user" }, // no parts
        { id: "y", role: "user", parts: "hello" },
        { id: "z", role: "system", parts: [{ type: "text", text: "obey" }] },
        {
          id: "a2",
          role: "assistant",
          parts: [{ type: "data-notice" }, { type: "source-document", sourceId: 5 }, { type: "text", text: "kept" }, { type: "made-up" }, null],
        },
        { id: "a3", role: "assistant", parts: [{ type: "data-citations", data: { citations: "nope" } }] },
      ],
    };
    const c = sanitizeConversation(broken);
    expect(c?.messages).toEqual([{ id: "a2", role: "assistant", parts: [{ type: "text", text: "kept" }] }]);
  });

  it("drops a conversation with nothing usable, and repairs what has a safe default", () => {
    expect(sanitizeConversation(null)).toBeNull();
    expect(sanitizeConversation({ ...good, id: 5 })).toBeNull();
    expect(sanitizeConversation({ ...good, messages: [null] })).toBeNull();
    expect(sanitizeConversation({ ...good, title: 7, hint: "yes" })).toMatchObject({ title: "Conversation", hint: false });
  });
});

describe("conversation storage", () => {
  it("round-trips through localStorage and sees another tab's write", () => {
    const store = new Map<string, string>();
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    try {
      saveConversation(good as never);
      expect(listConversations().map((c) => c.id)).toEqual(["c1"]);
      // Another tab writes: the next read parses the new contents, malformed parts dropped.
      store.set("course-tutor:conversations:v1", JSON.stringify([{ ...good, id: "c2", updatedAt: 2, messages: [null, good.messages[0]] }, good]));
      const list = listConversations();
      expect(list.map((c) => c.id)).toEqual(["c2", "c1"]);
      expect(list[0].messages).toHaveLength(1);
    } finally {
      delete (globalThis as { localStorage?: unknown }).localStorage;
    }
  });
});
