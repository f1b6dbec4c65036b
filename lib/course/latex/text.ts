/**
 * Pass 5 of the LaTeX path, the text: once every label is known, each `\ref`/`\eqref`/`\cref` gets the
 * text it prints, every block reads its source range (comments, labels and skipped branches removed,
 * references replaced: `SourceFile.extract`), paragraphs with nothing printable are dropped, text before
 * the first heading becomes front matter, and headings learn where they end.
 */
import { KIND_NAMES } from "../labels";
import type { RefUse } from "../latex-text";
import type { Block, SectionNode } from "../types";
import type { BlockPass } from "./blocks";
import { Diagnostics } from "./diagnostics";
import type { DerivedNumbering, LatexLabel } from "./numbering";

/** What a reference prints: "3.2", "(3.1)", cleveref's "Theorem 3.2" / "eqs. (1) and (2)". */
export function refText(use: RefUse, numbering: DerivedNumbering, diags: Diagnostics): string {
  const recs = use.keys.map((k) => {
    const rec = numbering.labels.get(k);
    if (!rec) diags.add("warning", use.file, use.line, `\\${use.cmd}{${k}}: label "${k}" is not defined`, false);
    return rec;
  });
  const num = (rec: LatexLabel | undefined) => (rec ? rec.number : "??");
  const cmd = use.cmd;
  // a page: known from a TeX run's .aux; without one, "??" as TeX's own first run prints
  const page = (k: string) => numbering.labelPages.get(k) ?? "??";
  if (cmd === "pageref") return use.keys.map(page).join(", ");
  if (cmd === "cpageref" || cmd === "Cpageref") {
    const pages = [...new Set(use.keys.map(page))];
    const word = `${cmd === "Cpageref" ? "P" : "p"}age${pages.length > 1 ? "s" : ""}`;
    return `${word} ${pages.length <= 1 ? pages.join("") : `${pages.slice(0, -1).join(", ")} and ${pages.at(-1)}`}`;
  }
  if (cmd === "eqref") return recs.map((r) => `(${num(r)})`).join(", ");
  if (cmd === "nameref") return recs.map((r) => r?.title ?? num(r)).join(", ");
  if (cmd === "ref" || cmd === "vref" || cmd === "Vref" || cmd === "labelcref") return recs.map(num).join(", ");
  // cleveref's default names (checked against pdflatex): \cref abbreviates eq./fig./tab., \Cref and
  // the `capitalise` option capitalise. hyperref's \autoref names are capitalised, sections lower case.
  const full = cmd === "Cref" || cmd === "nameCref" || cmd === "Autoref";
  const cap = full || numbering.capitalise || cmd === "autoref";
  const capital = (w: string) => (cap ? w[0].toUpperCase() + w.slice(1) : w);
  const nameOf = (rec: LatexLabel | undefined): string => {
    if (!rec) return "";
    const k = rec.kind;
    if (k === "equation") return full || cmd === "autoref" ? "Equation" : capital("eq.");
    if (k === "figure") return full || cmd === "autoref" ? "Figure" : capital("fig.");
    if (k === "table") return full || cmd === "autoref" ? "Table" : capital("tab.");
    if (k === "item" || k === "footnote" || k === "appendix") return capital(k);
    if (k in KIND_NAMES) {
      const n = KIND_NAMES[k as keyof typeof KIND_NAMES].toLowerCase();
      return cmd === "autoref" && (k === "chapter" || k === "section" || k === "subsection") ? n : capital(n);
    }
    return "";
  };
  const plural = (n: string) => (n.endsWith(".") ? `${n.slice(0, -1)}s.` : n.endsWith("y") ? `${n.slice(0, -1)}ies` : /appendix$/i.test(n) ? `${n.slice(0, -1)}ces` : `${n}s`);
  const fmt = (rec: LatexLabel | undefined) => (rec?.kind === "equation" ? `(${num(rec)})` : num(rec));
  if (cmd === "namecref" || cmd === "nameCref") return nameOf(recs[0]);
  // Consecutive references of one kind share a plural name: "theorems 3.3 and 3.5".
  const groups: { name: string; nums: string[] }[] = [];
  for (const rec of recs) {
    const name = nameOf(rec);
    const last = groups[groups.length - 1];
    if (last && last.name === name) last.nums.push(fmt(rec));
    else groups.push({ name, nums: [fmt(rec)] });
  }
  const and = (xs: string[]) => (xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`);
  return and(groups.map((g) => `${g.nums.length > 1 ? plural(g.name) : g.name} ${and(g.nums)}`.trim()));
}

/** Materialises the text of every block and tidies the tree (see the module comment). */
export function finishText(pass: BlockPass, diags: Diagnostics): void {
  pass.finishFlow();
  for (const use of pass.refs) use.text = refText(use, pass.num, diags);
  // a reference a course macro writes (`\pg{key}` → `p.~\pageref{key}`) is met only by the printed-text pass; a label
  // it lacks was named where the macro is used, which that pass does not know: no warning from there
  const printed = pass.sources.printed;
  if (printed) printed.ref = (cmd, keys) => refText({ cmd, keys, file: "", line: 0 }, pass.num, new Diagnostics());
  for (const d of pass.deferred) d();
  for (const [rec, owner] of pass.num.labelOwners) if (owner.title) rec.title = owner.title;
  const trivial = (t: string) =>
    t
      .replace(/\\[A-Za-z@]+\*?/g, "")
      .replace(/\d+(\.\d+)?\s*(pt|cm|mm|em|ex|in|bp)/g, "")
      .replace(/[\s{}[\]\\.,;:!?~&-]/g, "") === "";
  const prune = (blocks: Block[]) => blocks.filter((b) => !(pass.paragraphs.has(b) && trivial(b.text)));
  const fix = (node: SectionNode): number => {
    node.blocks = prune(node.blocks);
    let end = node.source.line;
    for (const b of node.blocks) {
      if (b.source.file === node.source.file) end = Math.max(end, b.source.endLine);
      if (b.latexLabels && b.latexLabels.length === 0) delete b.latexLabels;
    }
    for (const c of node.children) {
      const e = fix(c);
      if (c.source.file === node.source.file) end = Math.max(end, e);
    }
    node.source.endLine = end;
    if (node.latexLabels && node.latexLabels.length === 0) delete node.latexLabels;
    return end;
  };
  const front = prune(pass.front);
  if (front.length) {
    const first = front[0].source;
    const title = pass.docTitle || "Front matter";
    pass.chapters.unshift({
      kind: pass.num.book ? "chapter" : "section",
      number: "",
      title,
      label: title,
      blocks: front,
      children: [],
      source: { ...first },
    });
  }
  for (const c of pass.chapters) fix(c);
}
