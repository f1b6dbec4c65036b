"use client";

import { createContext, useContext } from "react";
import type { CitationCheck } from "@/lib/tutor/contract";

/** Opens the passage panel for a label; the trigger gets focus back when the panel closes. */
export interface CitationPanelApi {
  open(label: string, trigger?: HTMLElement | null): void;
  /** Label currently shown in the panel, if any (for aria-expanded on chips). */
  current: string | null;
}

export const CitationPanelContext = createContext<CitationPanelApi>({ open: () => {}, current: null });
export const useCitationPanel = () => useContext(CitationPanelContext);

/**
 * The verdicts of one answer's citations (its data-citations part), keyed by citationKey().
 * `state`: streaming (no check yet), checked (verdicts arrived), unchecked (ended without a check:
 * stopped, failed, or a user message).
 */
export interface AnswerCitations {
  state: "streaming" | "checked" | "unchecked";
  verdicts: Map<string, CitationCheck>;
}

export const AnswerCitationsContext = createContext<AnswerCitations>({ state: "unchecked", verdicts: new Map() });
export const useAnswerCitations = () => useContext(AnswerCitationsContext);
