"use client";

import { createContext, useContext } from "react";
import type { CitationCheck } from "@/lib/tutor/contract";

/** Opens the passage panel for a label; the trigger gets focus back when the panel closes. */
export interface CitationPanelApi {
  /** `group`: every label of the chip ("Exercises 1.41–1.43"), offered in the panel to switch between. */
  open(label: string, trigger?: HTMLElement | null, group?: string[]): void;
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
  /**
   * The answer's block quotes are the notes' own words (the no-LLM answer): the references in them are the
   * notes' cross-references, plain links to the passage, with no verdict about the answer.
   */
  quotesAreNotes?: boolean;
}

export const AnswerCitationsContext = createContext<AnswerCitations>({ state: "unchecked", verdicts: new Map() });
export const useAnswerCitations = () => useContext(AnswerCitationsContext);

/**
 * The course the chat is about and every label it has (from the outline), so a citation can be flagged as
 * not in the notes before, or without, the server's check (while streaming, after Stop). `labels` null: unknown.
 */
export interface CourseLabels {
  course?: string;
  labels: ReadonlySet<string> | null;
}
export const CourseLabelsContext = createContext<CourseLabels>({ labels: null });
export const useCourseLabels = () => useContext(CourseLabelsContext);

/** True inside a Markdown block quote of an answer. */
export const InQuoteContext = createContext(false);
