import { cookies } from "next/headers";
import { loadOutline } from "@/app/api/outline/outline";
import { HIDDEN_BANNERS_COOKIE, parseHiddenBanners } from "@/components/chat/banner-cookie";
import { ChatApp } from "@/components/chat/chat-app";
import { MathMacrosProvider } from "@/components/markdown/math-macros";
import type { Outline } from "@/components/chat/types";
import { env } from "@/lib/env";
import { toTutorError } from "@/lib/errors";
import { getHealth } from "@/lib/health";
import { llmConfigFromEnv } from "@/lib/llm/config";

/**
 * The chat for one course (or, without one, the store's only course): reads the outline and the health
 * (full-text only? LLM configured?) once per request and hands them to the interactive shell. Shared by `/`
 * and `/c/<course>`. `courses`: every course of the store, when it holds several (the toolbar links to the picker).
 */
export async function ChatPage({ course, courses }: { course?: string; courses?: number }) {
  const [health, outlineResult, jar] = await Promise.all([
    getHealth(),
    loadOutline({ course }).then(
      (outline): { outline: Outline; error?: undefined } => ({ outline }),
      (e: unknown) => ({ outline: null, error: toTutorError(e).message }),
    ),
    cookies(),
  ]);
  return (
    <MathMacrosProvider macros={outlineResult.outline?.course.macros}>
      <ChatApp
        outline={outlineResult.outline}
        outlineError={outlineResult.error}
        retrieval={health.retrieval}
        retrievalReason={health.model.available ? undefined : health.model.reason}
        llmConfigured={llmConfigFromEnv(env) !== null}
        severalCourses={(courses ?? 0) > 1}
        hiddenBanners={parseHiddenBanners(jar.get(HIDDEN_BANNERS_COOKIE)?.value)}
      />
    </MathMacrosProvider>
  );
}
