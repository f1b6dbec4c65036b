import { describe, expect, it } from "vitest";
import { listConversations, renameConversation, saveConversation, sanitizeConversation, searchConversations, titleFor } from "@/components/chat/storage";

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

describe("titles, search, rename, versions in storage", () => {
  const conv = (id: string, question: string, answer = "", updatedAt = 1) => ({
    id,
    title: question,
    hint: false,
    updatedAt,
    messages: [
      { id: `${id}u`, role: "user" as const, parts: [{ type: "text" as const, text: question }] },
      ...(answer ? [{ id: `${id}a`, role: "assistant" as const, parts: [{ type: "text" as const, text: answer }] }] : []),
    ],
  });

  it("a title is the first question; a long one is cut outside its formulas", () => {
    expect(titleFor(conv("a", "What is $\\nabla f$?").messages)).toBe("What is $\\nabla f$?");
    const long = `${"word ".repeat(37)}then $\\int_0^1 ${"x + ".repeat(20)}1\\,dx$ more`;
    const t = titleFor(conv("b", long).messages);
    expect(t.endsWith("…")).toBe(true);
    expect(t.length).toBeLessThanOrEqual(200);
    expect((t.match(/\$/g) ?? []).length % 2).toBe(0);
    const paren = `${"word ".repeat(37)}then \\(\\int_0^1 ${"x + ".repeat(20)}1\\,dx\\) more`;
    expect(titleFor(conv("c", paren).messages)).not.toContain("\\(");
  });

  it("search finds words in titles and messages, ignoring case and accents, all words required", () => {
    const list = [conv("a", "Hvad er en konveks funktion?", "En funktion er konveks når …"), conv("b", "Exercise 1.41?", "By [Exercise 1.41], De Morgan's laws for sets hold.")];
    expect(searchConversations(list, "").map((c) => c.id)).toEqual(["a", "b"]);
    expect(searchConversations(list, "KONVEKS").map((c) => c.id)).toEqual(["a"]);
    expect(searchConversations(list, "morgan laws").map((c) => c.id)).toEqual(["b"]);
    expect(searchConversations(list, "morgan konveks")).toEqual([]);
    expect(searchConversations([conv("c", "Hvad betyder en café?")], "cafe").map((c) => c.id)).toEqual(["c"]);
  });

  it("renaming keeps the name (and the place in the list); an empty name goes back to the first question", () => {
    const store = new Map<string, string>();
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    try {
      saveConversation(conv("old", "First question", "", 1) as never);
      saveConversation(conv("new", "Second question", "", 2) as never);
      expect(renameConversation("old", "  My   limits  notes ")?.title).toBe("My limits notes");
      expect(listConversations().map((c) => [c.id, c.title, !!c.renamed])).toEqual([
        ["new", "Second question", false],
        ["old", "My limits notes", true],
      ]);
      expect(renameConversation("old", " ")).toMatchObject({ title: "First question", renamed: undefined });
      expect(renameConversation("missing", "x")).toBeUndefined();
    } finally {
      delete (globalThis as { localStorage?: unknown }).localStorage;
    }
  });

  it("keeps the versions of a regenerated answer, sanitized; a broken list is dropped, the shown answer kept", () => {
    const versions = [{ parts: [{ type: "text", text: "one" }] }, { parts: [{ type: "text", text: "two" }, { type: "evil" }], stopped: true }];
    const withVersions = { ...good, messages: [good.messages[0], { ...good.messages[1], metadata: { versions, shown: 1 } }] };
    const kept = sanitizeConversation(withVersions)!;
    expect(kept.messages[1].metadata?.versions?.[1]).toEqual({ parts: [{ type: "text", text: "two" }], stopped: true });
    expect(kept.messages[1].metadata?.shown).toBe(1);
    const past = sanitizeConversation({ ...good, messages: [good.messages[0], { ...good.messages[1], metadata: { versions, shown: 7, hint: true } }] })!;
    expect(past.messages[1].metadata).toEqual({ hint: true });
    expect(past.messages[1].parts).toEqual(good.messages[1].parts);
    const junk = sanitizeConversation({ ...good, messages: [good.messages[0], { ...good.messages[1], metadata: { versions: "x", shown: 0 } }] })!;
    expect(junk.messages[1].metadata).toEqual({});
  });
});
