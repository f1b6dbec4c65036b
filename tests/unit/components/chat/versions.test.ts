import { describe, expect, it } from "vitest";
import { regenerated, showVersion, withoutVersions } from "@/components/chat/versions";
import type { ChatMessage } from "@/components/chat/types";

const answer = (id: string, text: string, stopped = false): ChatMessage => ({
  id,
  role: "assistant",
  parts: [{ type: "text", text }],
  ...(stopped ? { metadata: { stopped: true } } : {}),
});
const textOf = (m: ChatMessage) => m.parts.map((p) => (p.type === "text" ? p.text : "")).join("");

describe("answer versions (regenerate keeps the earlier answers)", () => {
  it("the new answer carries the old one and itself, and shows itself", () => {
    const two = regenerated(answer("a1", "first", true), answer("a2", "second"));
    expect(two.id).toBe("a2");
    expect(textOf(two)).toBe("second");
    expect(two.metadata?.versions?.map((v) => v.parts)).toEqual([[{ type: "text", text: "first" }], [{ type: "text", text: "second" }]]);
    expect(two.metadata?.versions?.[0].stopped).toBe(true);
    expect(two.metadata?.shown).toBe(1);

    const three = regenerated(two, answer("a3", "third"));
    expect(three.metadata?.versions).toHaveLength(3);
    expect(three.metadata?.shown).toBe(2);
  });

  it("a regeneration from an earlier version still keeps every version", () => {
    const two = regenerated(answer("a1", "first"), answer("a2", "second"));
    const back = showVersion(two, 0);
    const three = regenerated(back, answer("a3", "third"));
    expect(three.metadata?.versions?.map((v) => textOf({ ...three, parts: v.parts }))).toEqual(["first", "second", "third"]);
  });

  it("showing a version swaps the parts (what the next question sends) and its stopped mark", () => {
    const two = regenerated(answer("a1", "first", true), answer("a2", "second"));
    const first = showVersion(two, 0);
    expect(textOf(first)).toBe("first");
    expect(first.metadata?.stopped).toBe(true);
    expect(first.metadata?.shown).toBe(0);
    const second = showVersion(first, 1);
    expect(textOf(second)).toBe("second");
    expect(second.metadata?.stopped).toBeUndefined();
    expect(showVersion(second, 5)).toBe(second);
  });

  it("requests carry only the shown version", () => {
    const two = regenerated(answer("a1", "first"), answer("a2", "second"));
    const sent = withoutVersions({ ...two, metadata: { ...two.metadata, hint: true } });
    expect(sent.metadata).toEqual({ hint: true });
    expect(textOf(sent)).toBe("second");
    const plain = answer("x", "y");
    expect(withoutVersions(plain)).toBe(plain);
  });
});
