import type { Block, Diagnostic, SectionNode } from "./types";

interface Numbered {
  label: string;
  kind: string;
  number: string;
  file: string;
  line: number;
}

/**
 * Checks printed numbers: duplicate labels anywhere, and, per chapter, gaps and repeats in the item
 * counter and in section/subsection numbers. Numbers a parser derived itself (LaTeX) cannot have gaps,
 * so gap checks only run where `printedNumbers(file)` is true.
 *
 * Items normally share one counter per chapter (Exercise 1.40, Exercise 1.41, Definition 1.42). When two
 * different kinds print the same number in a chapter, the notes use one counter per kind instead, and
 * the sequence is checked per kind.
 */
export function checkNumbering(chapters: SectionNode[], opts: { printedNumbers: (file: string) => boolean }): Diagnostic[] {
  const out: Diagnostic[] = [];
  const labels = new Map<string, Numbered>();

  const noteLabel = (n: Numbered) => {
    // Unnumbered headings (\section*{Exercises}) are not citable, so they cannot collide.
    if (!n.number) return;
    const prev = labels.get(n.label);
    if (prev) {
      out.push({ severity: "warning", file: n.file, line: n.line, message: `duplicate number: ${n.label} already at ${prev.file}:${prev.line}; this one cannot be cited` });
    } else labels.set(n.label, n);
  };

  for (const chapter of chapters) {
    noteLabel(toNumbered(chapter));
    const items: Numbered[] = [];
    const walk = (node: SectionNode, depth: number) => {
      node.blocks.filter((b): b is Block & { number: string; label: string } => !!b.number && !!b.label).forEach((b) => {
        const n = { label: b.label, kind: b.kind, number: b.number, file: b.source.file, line: b.source.line };
        noteLabel(n);
        items.push(n);
      });
      if (depth < 2 && opts.printedNumbers(node.source.file)) checkSequence(node.children.filter((c) => c.number).map(toNumbered), out, `${node.label}`);
      node.children.forEach((c) => {
        noteLabel(toNumbered(c));
        walk(c, depth + 1);
      });
    };
    walk(chapter, 0);

    const printed = items.filter((i) => opts.printedNumbers(i.file) && /^\d+$/.test(i.number.split(".").at(-1) ?? ""));
    const byNumber = new Map<string, Set<string>>();
    for (const i of printed) byNumber.set(i.number, (byNumber.get(i.number) ?? new Set()).add(i.kind));
    const perKind = [...byNumber.values()].some((kinds) => kinds.size > 1);
    if (perKind) {
      const kinds = [...new Set(printed.map((i) => i.kind))];
      for (const k of kinds) checkSequence(printed.filter((i) => i.kind === k), out, chapter.label);
    } else checkSequence(printed, out, chapter.label);
  }
  return out;
}

function toNumbered(n: SectionNode): Numbered {
  return { label: n.label, kind: n.kind, number: n.number, file: n.source.file, line: n.source.line };
}

/** Reports numbers that skip ahead or go back within a sequence (duplicates are reported by label). */
function checkSequence(seq: Numbered[], out: Diagnostic[], where: string) {
  let prev: Numbered | undefined;
  for (const cur of seq) {
    const n = Number(cur.number.split(".").at(-1));
    if (!Number.isFinite(n)) continue;
    const p = prev ? Number(prev.number.split(".").at(-1)) : 0;
    if (prev && n === p) {
      // same number twice in a row: reported as duplicate if the labels collide
    } else if (n > p + 1) {
      const missing = n - p - 1 === 1 ? `${prefixOf(cur.number)}${p + 1}` : `${prefixOf(cur.number)}${p + 1}–${prefixOf(cur.number)}${n - 1}`;
      out.push({ severity: "warning", file: cur.file, line: cur.line, message: `skipped number in ${where}: ${cur.label} follows ${prev ? prev.label : "the start"} (${missing} missing)` });
    } else if (n < p) {
      out.push({ severity: "warning", file: cur.file, line: cur.line, message: `number out of order in ${where}: ${cur.label} comes after ${prev!.label}` });
    }
    prev = cur;
  }
}

function prefixOf(number: string): string {
  const parts = number.split(".");
  return parts.length > 1 ? parts.slice(0, -1).join(".") + "." : "";
}
