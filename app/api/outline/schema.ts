import { z } from "zod";

export const outlineQuerySchema = z.object({
  course: z.string().trim().min(1).max(64).optional(),
});
export type OutlineQuery = z.infer<typeof outlineQuerySchema>;
