"use client";

import { parseCitationBracket } from "@/components/citations/groups";
import { TutorMarkdown } from "@/components/markdown/tutor-markdown";
import { firstLine, PASSAGE_HEADING, splitNoLlmAnswer } from "@/lib/tutor/no-llm-layout";

/** "[Section 1.6] More on sets" → "Section 1.6 More on sets": a folded passage's summary holds no chips (no controls in a summary). */
function withoutCitationBrackets(md: string): string {
  return md.replace(/\[([^\[\]\n]{2,120})\](\([^()\s]{1,12}\))?/g, (whole, inner: string, tail?: string) =>
    parseCitationBracket(inner) ? `${inner}${tail ?? ""}` : whole,
  );
}

/**
 * The no-LLM answer laid out as a real answer: its introduction, the best passage whole, the next ones folded
 * to their heading and first line (a disclosure: Enter, Space or a click opens one), the related exercises.
 */
export function NoLlmAnswer({ text, streaming }: { text: string; streaming: boolean }) {
  const { intro, passages, related } = splitNoLlmAnswer(text);
  return (
    <div className="no-llm-answer" data-testid="no-llm-answer">
      {intro && <TutorMarkdown text={intro} streaming={streaming && !passages.length} />}
      {passages.map((p, i) =>
        i === 0 ? (
          <section key={i} className="no-llm-passage no-llm-best" data-testid="no-llm-passage">
            <TutorMarkdown text={`${PASSAGE_HEADING}${p.heading}\n\n${p.body}`} />
          </section>
        ) : (
          <details key={i} className="no-llm-passage" data-testid="no-llm-passage">
            <summary data-testid="no-llm-passage-summary">
              <strong className="no-llm-heading">{withoutCitationBrackets(p.heading)}</strong>
              <span className="no-llm-first">
                <TutorMarkdown text={withoutCitationBrackets(firstLine(p.body))} citations={false} />
              </span>
            </summary>
            <TutorMarkdown text={p.body} />
          </details>
        ),
      )}
      {related && <TutorMarkdown text={related} />}
    </div>
  );
}
