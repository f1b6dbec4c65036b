import { describe, expect, it } from "vitest";
import { csvCell } from "@/lib/instructor/csv";

describe("csvCell", () => {
  it("quotes separators, quotes and line breaks (RFC 4180)", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell(12)).toBe("12");
    expect(csvCell(undefined)).toBe("");
  });

  it("keeps a student's text from running as a spreadsheet formula", () => {
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    // Numbers are numbers: a negative count is not text to defuse.
    expect(csvCell(-1)).toBe("-1");
  });
});
