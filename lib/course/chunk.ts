import { createHash } from "node:crypto";
import { headingLine, renderBlock } from "./items";
import type { Block, CourseDoc, SectionNode } from "./types";

/** A retrieval unit: consecutive whole blocks of one heading's node, headed by its section path. */
export interface Passage {
  /** Stable across runs while the section keeps its number: `<course>/<heading label>#<chunk index>`. */
  id: string;
  course: string;
  /** Label of the enclosing section ("Section 1.6"), or the chapter's label for chapter introductions. */
  section: string;
  /** Label of the deepest heading the passage sits under ("Subsection 1.6.1"). */
  heading: string;
  headingPath: string[];
  /** Header line (the heading path) + the blocks' text: what is embedded, indexed and shown. */
  text: string;
  /** Labels of the numbered items inside, in order. */
  refs: string[];
  file: string;
  line: number;
  endLine: number;
  /** sha256 of `text`; with the model id it decides whether a passage must be re-embedded. */
  hash: string;
  /** Token count of `passage: ` + text, by the model's tokenizer or the conservative estimate. */
  tokens: number;
}

export interface ChunkOptions {
  /** Model window in tokens, special tokens included. */
  maxTokens?: number;
  /** Counts tokens as the model will see them (prefix included). Defaults to `estimateTokens`. */
  countTokens?: (text: string) => number;
}

export interface ChunkResult {
  passages: Passage[];
  /** Heading or item label → id of the passage that holds it (a heading maps to its first passage). */
  passageOf: Map<string, string>;
  /** Blocks that alone exceed the window: their end is invisible to the dense retriever. */
  oversized: { label: string; file: string; line: number; tokens: number }[];
}

/**
 * Splits each heading's own blocks into passages that fit the model window, cutting only between blocks
 * (never inside an exercise, proof or code block). A block too long on its own gets a passage of its own
 * and is reported in `oversized`.
 */
export function chunkCourse(doc: CourseDoc, opts: ChunkOptions = {}): ChunkResult {
  const maxTokens = opts.maxTokens ?? 512;
  const count = opts.countTokens ?? ((t: string) => estimateTokens(t));
  const passages: Passage[] = [];
  const passageOf = new Map<string, string>();
  const oversized: ChunkResult["oversized"] = [];
  const usedKeys = new Set<string>();
  /** What any count includes besides the text: [CLS], [SEP] and the `passage: ` prefix. */
  const empty = count("");

  const visit = (node: SectionNode, path: string[], section: SectionNode | undefined, chapter: SectionNode, parentKey: string) => {
    const headingPath = [...path, headingLine(node)];
    // Numbered headings are unique; an unnumbered one ("Exercises") is keyed under its parent.
    let key = node.number ? node.label : `${parentKey} › ${node.label}`;
    for (let n = 2; usedKeys.has(key); n++) key = `${node.number ? node.label : `${parentKey} › ${node.label}`} (${n})`;
    usedKeys.add(key);
    const header = headingPath.join(" › ");
    const chunks: Block[][] = [];
    let cur: Block[] = [];
    // Texts joined by a blank line count as the sum of their counts (both the estimate and a WordPiece tokenizer
    // split at whitespace), less the special tokens and prefix each count includes: each block is counted once,
    // not once per block after it (that was quadratic in a long section). A passage's own count below is exact.
    const headerTokens = count(header);
    let curTokens = headerTokens;
    for (const b of node.blocks) {
      const blockTokens = count(renderBlock(b)) - empty;
      if (cur.length && curTokens + blockTokens > maxTokens) {
        chunks.push(cur);
        cur = [];
        curTokens = headerTokens;
      }
      cur.push(b);
      curTokens += blockTokens;
    }
    if (cur.length) chunks.push(cur);

    const first = passages.length;
    chunks.forEach((blocks, i) => {
      const text = `${header}\n\n${blocks.map(renderBlock).join("\n\n")}`;
      const tokens = count(text);
      const p: Passage = {
        id: `${doc.id}/${key}#${i}`,
        course: doc.id,
        section: (section ?? chapter).label,
        heading: node.label,
        headingPath,
        text,
        refs: blocks.filter((b) => b.label).map((b) => b.label!),
        file: blocks[0].source.file,
        line: blocks[0].source.line,
        endLine: blocks.at(-1)!.source.endLine,
        hash: sha256(text),
        tokens,
      };
      if (tokens > maxTokens) {
        const b = blocks[0];
        oversized.push({ label: b.label ?? `${b.kind} in ${node.label}`, file: b.source.file, line: b.source.line, tokens });
      }
      for (const r of p.refs) if (!passageOf.has(r)) passageOf.set(r, p.id);
      passages.push(p);
    });
    for (const child of node.children) visit(child, headingPath, child.kind === "section" && child.number ? child : section, chapter, key);
    // A heading without blocks of its own points at its first descendant passage.
    if (!passageOf.has(node.label)) {
      const own = passages[first];
      if (own) passageOf.set(node.label, own.id);
    }
  };
  for (const chapter of doc.chapters) visit(chapter, [], undefined, chapter, "");
  return { passages, passageOf, oversized };
}

/**
 * Upper-bound estimate of BERT WordPiece tokens for `passage: ` + text, for when the model's tokenizer is
 * not available. LaTeX is the expensive part: every backslash, brace, digit and operator is a token of
 * its own, and rare words split into several pieces, so short words count 1 and longer ones 1 per 4 letters.
 */
export function estimateTokens(text: string): number {
  let n = 2 + 3; // [CLS] [SEP] + "passage", ":" (prefix)
  for (const m of text.matchAll(/[A-Za-z]+|[^\sA-Za-z]/g)) {
    const w = m[0];
    n += w.length <= 5 ? 1 : Math.ceil(w.length / 4);
  }
  return n;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
