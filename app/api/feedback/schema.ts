import { z } from "zod";

/** Limits of one feedback request. */
export const FEEDBACK_LIMITS = {
  commentChars: 2000,
  bodyBytes: 16_384,
} as const;

/** `POST /api/feedback` body: the thumbs (and optional comment) on one recorded answer. */
export const feedbackRequestSchema = z
  .object({
    course: z.string().trim().min(1).max(64),
    /** The id the answer's `data-insight` part carried. */
    answerId: z.uuid({ error: "answerId must be the id the answer carried" }),
    rating: z.enum(["up", "down"], { error: 'rating must be "up" or "down"' }),
    comment: z.string().max(FEEDBACK_LIMITS.commentChars, `the comment is longer than ${FEEDBACK_LIMITS.commentChars} characters`).optional(),
  })
  .strict();

export type FeedbackRequest = z.infer<typeof feedbackRequestSchema>;
