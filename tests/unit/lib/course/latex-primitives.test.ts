/** TeX primitives in a course's prose macros: register settings, arithmetic, `\if` on characters. */
import { describe, expect, it } from "vitest";
import { ifBranch, registerCommandEnd } from "@/lib/course/latex-primitives";

describe("registerCommandEnd", () => {
  const rest = (cmd: string, src: string) => {
    const end = registerCommandEnd(cmd, src, 0);
    return end === undefined ? undefined : src.slice(end);
  };
  it("reads a length, glue, integer or arithmetic after the command; other commands are not registers", () => {
    expect(rest("itemsep", "1pt \\parskip0pt")).toBe(" \\parskip0pt");
    expect(rest("parskip", " = 0pt plus 1fil minus 2pt text")).toBe(" text");
    expect(rest("itemindent", " 10pt\n")).toBe("\n");
    expect(rest("leftmargin", "0.5\\linewidth x")).toBe(" x");
    expect(rest("clubpenalty", "=10000 x")).toBe(" x");
    expect(rest("advance", "\\issuesD by 1\\fi")).toBe("\\fi");
    expect(rest("global", "\\advance")).toBe("\\advance");
    expect(rest("itemsep", "")).toBe("");
    expect(registerCommandEnd("emph", "{x}", 0)).toBeUndefined();
  });
});

describe("ifBranch", () => {
  const flags: Record<string, string> = { showissues: "n", yes: "y", long: "no", alias: "\\showissues" };
  const take = (src: string) => ifBranch(src, 0, (n) => flags[n]);
  it("compares two characters, expanding one-token macros, and takes the branch TeX takes", () => {
    const src = "\\showissues y shown\\else hidden\\fi after";
    const r = take(src)!;
    expect([r.branch, src.slice(r.end)]).toEqual(["hidden", " after"]);
    expect(take("\\yes y shown\\else hidden\\fi")?.branch).toBe(" shown");
    expect(take("\\alias n A\\fi")?.branch).toBe(" A");
    expect(take("\\showissues y shown\\fi")?.branch).toBe("");
    expect(take("nn same\\fi")?.branch).toBe(" same");
    // After a character a space is a token: `\if n n` compares n with a space.
    expect(take(" n n same\\else differ\\fi")?.branch).toBe("differ");
    // Unexpandable commands are all alike.
    expect(take("\\relax\\foo same\\else differ\\fi")?.branch).toBe("same");
  });
  it("skips nested conditionals when looking for its own \\else and \\fi; gives up when there is none or the flag is longer", () => {
    expect(take("\\showissues n \\ifx a b\\else c\\fi\\else d\\fi")?.branch).toBe(" \\ifx a b\\else c\\fi");
    expect(take("\\showissues n open")).toBeUndefined();
    expect(take("\\long n x\\fi")).toBeUndefined();
  });
});
