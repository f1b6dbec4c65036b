/**
 * Shared by the LaTeX pass tests: reading fixtures, the pdflatex truth (.aux `\newlabel`s, produced by
 * `bash scripts/latex-truth.sh` from the compilable fixtures) and walking a parsed tree.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseLatexDetailed, type LatexParseOptions, type LatexParseResult } from "@/lib/course/latex";
import type { Block, SectionNode } from "@/lib/course/types";

export const REPO = path.resolve(__dirname, "../../../../..");
export const FIXTURES = path.join(REPO, "tests/fixtures/latex");
export const TRUTH = path.join(REPO, "tests/fixtures/latex-truth");

export function fsReader(root: string) {
  return (rel: string): string | null => {
    try {
      return readFileSync(path.join(root, rel), "utf8");
    } catch {
      return null;
    }
  };
}

export function parseFixture(name: string, file = "main.tex", options?: LatexParseOptions): LatexParseResult {
  const root = path.join(FIXTURES, name);
  return parseLatexDetailed({ root, file, readText: fsReader(root) }, options);
}

export function parseMem(files: Record<string, string>, entry = "main.tex", options?: LatexParseOptions): LatexParseResult {
  return parseLatexDetailed({ root: "/mem", file: entry, readText: (rel) => files[rel] ?? null }, options);
}

function firstGroup(s: string): string {
  let depth = 0;
  for (let k = 0; k < s.length; k++) {
    if (s[k] === "{") depth++;
    else if (s[k] === "}" && --depth === 0) return s.slice(1, k);
  }
  return "";
}

function stripBraces(s: string): string {
  while (s.startsWith("{") && s.endsWith("}") && firstGroup(s) === s.slice(1, -1)) s = s.slice(1, -1);
  return s;
}

/** `\newlabel{key}{{number}{page}…}` of a truth file → key → printed number. */
export function readAux(name: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(path.join(TRUTH, name), "utf8").split("\n")) {
    const m = /^\\newlabel\{([^}]+)\}\{/.exec(line);
    if (!m || m[1].endsWith("@cref")) continue;
    out.set(m[1], stripBraces(firstGroup(line.slice(m[0].length))));
  }
  return out;
}

export function nodes(chapters: SectionNode[]): SectionNode[] {
  const out: SectionNode[] = [];
  const visit = (n: SectionNode) => {
    out.push(n);
    n.children.forEach(visit);
  };
  chapters.forEach(visit);
  return out;
}

export function blocks(chapters: SectionNode[]): Block[] {
  return nodes(chapters).flatMap((n) => n.blocks);
}

export function byLabel(res: LatexParseResult, key: string): Block | SectionNode {
  const hit = [...nodes(res.chapters), ...blocks(res.chapters)].find((x) => x.latexLabels?.includes(key));
  if (!hit) throw new Error(`no block or heading carries \\label{${key}}`);
  return hit;
}

/** Labels whose number differs from what pdflatex printed, as "key: pdflatex X, parser Y". */
export function auxMismatches(res: LatexParseResult, aux: string): string[] {
  const truth = readAux(aux);
  if (truth.size === 0) throw new Error(`no labels in ${aux}`);
  return [...truth].filter(([k, v]) => res.labels[k]?.number !== v).map(([k, v]) => `${k}: pdflatex ${v}, parser ${res.labels[k]?.number}`);
}
