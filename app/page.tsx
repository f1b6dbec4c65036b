import type { Metadata } from "next";
import { loadOutline } from "@/app/api/outline/outline";
import { ChatApp } from "@/components/chat/chat-app";
import { MathMacrosProvider } from "@/components/markdown/math-macros";
import type { Outline } from "@/components/chat/types";
import { env } from "@/lib/env";
import { toTutorError } from "@/lib/errors";
import { getHealth } from "@/lib/health";
import { llmConfigFromEnv } from "@/lib/llm/config";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: { absolute: "Course tutor" } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The student's chat. A server component: it reads the store's outline and the health (full-text only?
 * LLM configured?) once per request and hands them to the interactive shell.
 */
export default async function Home({ searchParams }: Props) {
  const sp = await searchParams;
  const course = typeof sp.course === "string" ? sp.course : undefined;
  const [health, outlineResult] = await Promise.all([
    getHealth(),
    loadOutline({ course }).then(
      (outline): { outline: Outline; error?: undefined } => ({ outline }),
      (e: unknown) => ({ outline: null, error: toTutorError(e).message }),
    ),
  ]);
  return (
    <MathMacrosProvider macros={outlineResult.outline?.course.macros}>
      <ChatApp
        outline={outlineResult.outline}
        outlineError={outlineResult.error}
        retrieval={health.retrieval}
        retrievalReason={health.model.available ? undefined : health.model.reason}
        llmConfigured={llmConfigFromEnv(env) !== null}
      />
    </MathMacrosProvider>
  );
}
