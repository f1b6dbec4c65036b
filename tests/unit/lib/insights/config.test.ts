import { describe, expect, it } from "vitest";
import { parseCourseJson } from "@/lib/course/load-course";
import type { Diagnostic } from "@/lib/course/types";
import { insightsConfig, readInsightsColumn } from "@/lib/insights/config";

function parse(text: string) {
  const diagnostics: Diagnostic[] = [];
  const json = parseCourseJson(text, diagnostics);
  return { json, messages: diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`) };
}

describe("course.json insights", () => {
  it("absent is off; present takes the defaults for what it leaves out", () => {
    expect(parse('{ "title": "T" }').json.insights).toBeUndefined();
    const { json, messages } = parse('{ "title": "T", "insights": {} }');
    expect(messages).toEqual([]);
    expect(insightsConfig(json.insights!)).toEqual({ keepQuestions: false, retentionDays: 120 });
    expect(insightsConfig(parse('{ "insights": { "keepQuestions": true, "retentionDays": 30 } }').json.insights!)).toEqual({ keepQuestions: true, retentionDays: 30 });
  });

  it("an unknown key inside insights is reported at its line:column with the insights key it resembles", () => {
    const { json, messages } = parse('{\n  "title": "T",\n  "insights": {\n    "keepQuestion": true\n  }\n}\n');
    expect(messages).toEqual(['4:5 unknown key "keepQuestion" — did you mean "keepQuestions"? ("insights" knows keepQuestions, retentionDays)']);
    // A broken course.json sets nothing: insights stay off.
    expect(json.insights).toBeUndefined();
  });

  it("a wrong value is reported at the value, with what is allowed", () => {
    expect(parse('{ "insights": { "retentionDays": "120" } }').messages).toEqual([expect.stringMatching(/^1:34 insights\.retentionDays: .*number/)]);
    expect(parse('{ "insights": { "retentionDays": 0 } }').messages).toEqual([expect.stringMatching(/^1:34 insights\.retentionDays: .*>=1/)]);
    expect(parse('{ "insights": true }').messages).toEqual([expect.stringMatching(/^1:15 insights: .*object/)]);
    expect(parse('{ "insight": {} }').messages).toEqual([expect.stringMatching(/^1:3 unknown key "insight" — did you mean "insights"\?/)]);
  });

  it("the stored column reads back as the settings, and anything else as off", () => {
    expect(readInsightsColumn(JSON.stringify({ keepQuestions: true, retentionDays: 7 }))).toEqual({ keepQuestions: true, retentionDays: 7 });
    for (const off of [undefined, null, "", "not json", '{"retentionDays":-1}']) expect(readInsightsColumn(off)).toBeNull();
  });
});
