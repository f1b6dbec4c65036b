import { z } from "zod";

/** `GET /api/search?q=…&course=…&k=…` — the same inputs as `npm run search`. */
export const searchQuerySchema = z.object({
  q: z
    .string({ error: "q is required, e.g. q=what is a bijection" })
    .trim()
    .min(1, "q is required, e.g. q=what is a bijection")
    .max(1000, "q is longer than 1000 characters"),
  course: z.string().trim().min(1).max(64).optional(),
  k: z.coerce.number({ error: "k must be an integer from 1 to 100" }).int("k must be an integer from 1 to 100").min(1, "k must be an integer from 1 to 100").max(100, "k must be an integer from 1 to 100").default(5),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;
