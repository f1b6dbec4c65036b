/**
 * The page each `\label` is on, as the TeX run's .aux files record it: `\newlabel{key}{{2.3}{17}…}` (the kernel's
 * two fields, hyperref's five) — what `\pageref{key}` prints. The main .aux is read and every `\@input{ch1.aux}`
 * it names (an `\include`d file's own .aux), as LaTeX itself reads them at `\end{document}`.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** The brace group starting at `at` (`{…}`): its contents and where it ends, or undefined. */
function group(s: string, at: number): { body: string; end: number } | undefined {
  if (s[at] !== "{") return undefined;
  let depth = 0;
  for (let k = at; k < s.length; k++) {
    const c = s[k];
    if (c === "\\") k++;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return { body: s.slice(at + 1, k), end: k + 1 };
  }
  return undefined;
}

/** `\newlabel{key}{{number}{page}…}` lines of one .aux text → key → page; `\@input{x.aux}` names. */
export function parseAuxPages(text: string): { pages: Map<string, string>; inputs: string[] } {
  const pages = new Map<string, string>();
  const inputs: string[] = [];
  for (const m of text.matchAll(/\\newlabel(?=\{)|\\@input(?=\{)/g)) {
    const at = m.index + m[0].length;
    const first = group(text, at);
    if (!first) continue;
    if (m[0] === "\\@input") {
      inputs.push(first.body);
      continue;
    }
    const fields = group(text, first.end);
    const num = fields ? group(fields.body, 0) : undefined;
    const page = fields && num ? group(fields.body, num.end) : undefined;
    // cleveref writes a second \newlabel{key@cref}: not a key a \pageref names
    if (page && !first.body.endsWith("@cref")) pages.set(first.body, page.body.trim());
  }
  return { pages, inputs };
}

/** Pages of every label in `<dir>/<jobname>.aux` and the .aux files it `\@input`s (relative to `dir`). */
export function readAuxPages(dir: string, jobname: string): Map<string, string> {
  const pages = new Map<string, string>();
  const seen = new Set<string>();
  const read = (rel: string) => {
    const file = path.resolve(dir, rel);
    if (seen.has(file) || !existsSync(file) || path.relative(dir, file).startsWith("..")) return;
    seen.add(file);
    const parsed = parseAuxPages(readFileSync(file, "latin1"));
    for (const [k, v] of parsed.pages) pages.set(k, v);
    for (const inc of parsed.inputs) read(inc);
  };
  read(`${jobname}.aux`);
  return pages;
}
