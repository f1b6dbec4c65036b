/**
 * The real TeX engine as the truth for a LaTeX course's numbering. Shapes and how to call: types.ts.
 */
export { findTexEngine, type TexEngine, type TexEngineLookup } from "./find-engine";
export { traceLatex } from "./trace-latex";
export { numberedItemsFromTrace } from "./numbered-items";
export type { NumberedItem, TexError, TraceRecord, TraceResult } from "./types";
