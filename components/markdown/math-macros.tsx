"use client";

import { createContext, type ReactNode } from "react";

/**
 * The course's own math macros (KaTeX `macros` form, stored at ingest) for every formula below the
 * provider: answers, quoted passages, the draft. `undefined` when the course defines none.
 */
export const MathMacrosContext = createContext<Record<string, string> | undefined>(undefined);

/** Lets a server page hand the course's macros to the client leaves that render formulas. */
export function MathMacrosProvider({ macros, children }: { macros?: Record<string, string>; children: ReactNode }) {
  return <MathMacrosContext.Provider value={macros}>{children}</MathMacrosContext.Provider>;
}
