/**
 * The LaTeX parser's entry points. The work is done pass by pass under `lib/course/latex/` — start
 * reading at `lib/course/latex/parse.ts`.
 */
export { parseLatex, parseLatexDetailed, type LatexLabel, type LatexParseOptions, type LatexParseResult, type NumberedItem, type TracedNumber } from "./latex/parse";
export { findLatexMains } from "./latex/files";
