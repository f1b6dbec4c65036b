/** The notices above the chat a student can hide, and the cookie that remembers which (read by app/chat-page.tsx). */
export const HIDDEN_BANNERS_COOKIE = "tutor-hidden-notices";

export const BANNER_KINDS = ["no-llm", "fulltext", "hint", "insights"] as const;
export type BannerKind = (typeof BANNER_KINDS)[number];

/** The cookie's value ("no-llm.fulltext") → the known kinds it names; anything else is ignored. */
export function parseHiddenBanners(value: string | undefined): BannerKind[] {
  if (!value) return [];
  const names = new Set(value.split("."));
  return BANNER_KINDS.filter((k) => names.has(k));
}
