import { z } from "zod";

/**
 * course.json's `insights` (issue 16): absent = off (nothing about a question is recorded); present = the
 * course's answered questions are recorded (lib/insights/store.ts). Client-safe (zod only).
 */
export const DEFAULT_RETENTION_DAYS = 120;

export const insightsJsonSchema = z
  .object({
    /** Keep each question's text (off by default: labels, verdicts and feedback only). */
    keepQuestions: z.boolean().optional(),
    /** Rows older than this many days are deleted. */
    retentionDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

/** The settings in force for a course whose insights are on. */
export interface InsightsConfig {
  keepQuestions: boolean;
  retentionDays: number;
}

export function insightsConfig(json: z.infer<typeof insightsJsonSchema>): InsightsConfig {
  return { keepQuestions: json.keepQuestions ?? false, retentionDays: json.retentionDays ?? DEFAULT_RETENTION_DAYS };
}

/** The `insights` column of a stored course (JSON, "" / null / absent when off) → its settings, or null (off). */
export function readInsightsColumn(value: string | null | undefined): InsightsConfig | null {
  if (!value) return null;
  try {
    const parsed = insightsJsonSchema.safeParse(JSON.parse(value));
    return parsed.success ? insightsConfig(parsed.data) : null;
  } catch {
    return null;
  }
}
