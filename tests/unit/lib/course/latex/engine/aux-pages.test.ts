/** The page of each \label, read from the .aux files of a TeX run. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAuxPages, readAuxPages } from "@/lib/course/latex/engine/aux-pages";

describe("parseAuxPages", () => {
  it("reads the kernel's and hyperref's \\newlabel (page = second field, braces inside kept), skips cleveref's @cref twins", () => {
    const aux = [
      "\\relax",
      "\\newlabel{thm:a}{{1.2}{17}}",
      "\\newlabel{sec:b}{{2}{xii}{Intro {to} it}{section.2}{}}",
      "\\newlabel{thm:a@cref}{{[theorem][2][1]1.2}{[1][17][]17}}",
      "\\@input{ch/one.aux}",
    ].join("\n");
    const { pages, inputs } = parseAuxPages(aux);
    expect([...pages]).toEqual([
      ["thm:a", "17"],
      ["sec:b", "xii"],
    ]);
    expect(inputs).toEqual(["ch/one.aux"]);
  });
});

describe("readAuxPages", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tutor-aux-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it("follows \\@input to the .aux of each \\include'd file, as LaTeX does", () => {
    mkdirSync(path.join(dir, "ch"));
    writeFileSync(path.join(dir, "book.aux"), "\\newlabel{a}{{1}{3}}\n\\@input{ch/one.aux}\n\\@input{missing.aux}\n");
    writeFileSync(path.join(dir, "ch/one.aux"), "\\newlabel{b}{{1.1}{5}}\n");
    expect(Object.fromEntries(readAuxPages(dir, "book"))).toEqual({ a: "3", b: "5" });
  });
});
