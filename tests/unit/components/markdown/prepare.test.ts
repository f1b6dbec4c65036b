import { describe, expect, it } from "vitest";
import { prepareMarkdown } from "@/components/markdown/prepare";

describe("prepareMarkdown", () => {
  it("keeps '<' in prose as text, so 'a<b and c>0' is not read as an HTML tag and dropped", () => {
    expect(prepareMarkdown("Show that if a<b and c>0 then ac<bc").markdown).toBe("Show that if a&lt;b and c>0 then ac&lt;bc");
    expect(prepareMarkdown("<script>alert(1)</script>").markdown).toBe("&lt;script>alert(1)&lt;/script>");
    // Inside math and code nothing changes: KaTeX and code spans show "<" themselves.
    expect(prepareMarkdown("math $a<b$ and `code <b>`").markdown).toBe("math $a<b$ and `code <b>`");
    // A block quote is still Markdown.
    expect(prepareMarkdown("> quoted").markdown).toBe("> quoted");
  });
});
