/**
 * The shape of the no-LLM answer (lib/tutor/no-llm.ts writes it, the chat lays it out): Markdown, so it reads
 * well anywhere it is copied, with
 *   intro paragraph(s)
 *   `### <heading>` + the passage quoted (`> …`) + maybe "Inside: …"   — once per passage, best first
 *   "Related exercises: …"                                              — optional, last
 * The chat shows the first passage whole and the others folded to their heading and first line. Client-safe.
 */
export const PASSAGE_HEADING = "### ";
export const RELATED_PREFIX = "Related exercises:";

export interface NoLlmLayout {
  intro: string;
  passages: { heading: string; body: string }[];
  related: string;
}

/** Splits a no-LLM answer into its parts; an answer without passages is all intro. */
export function splitNoLlmAnswer(text: string): NoLlmLayout {
  const lines = text.split("\n");
  let related = "";
  const lastLine = lines.at(-1) ?? "";
  if (lastLine.startsWith(RELATED_PREFIX)) {
    related = lastLine;
    lines.pop();
  }
  const intro: string[] = [];
  const passages: { heading: string; body: string[] }[] = [];
  for (const line of lines) {
    if (line.startsWith(PASSAGE_HEADING)) passages.push({ heading: line.slice(PASSAGE_HEADING.length).trim(), body: [] });
    else if (passages.length) passages.at(-1)!.body.push(line);
    else intro.push(line);
  }
  return {
    intro: intro.join("\n").trim(),
    passages: passages.map((p) => ({ heading: p.heading, body: p.body.join("\n").trim() })),
    related,
  };
}

/** The first line of a quoted passage, as plain Markdown (the quote marker gone): what a folded passage shows. */
export function firstLine(body: string): string {
  const line = (body.split("\n").find((l) => l.replace(/^>\s?/, "").trim()) ?? "").replace(/^>\s?/, "").trim();
  // A display formula that goes on past this line is left out rather than shown half.
  const dollars = [...line.matchAll(/\$\$/g)].map((m) => m.index);
  const unclosed = [
    dollars.length % 2 ? dollars.at(-1)! : -1,
    firstUnclosed(line, /\\\[/g, /\\\]/g),
    firstUnclosed(line, /\\begin\{/g, /\\end\{/g),
  ].filter((i) => i >= 0);
  return unclosed.length ? `${line.slice(0, Math.min(...unclosed)).trimEnd()} …` : line;
}

/** Where the first opener without a closer after it starts, or -1. */
function firstUnclosed(line: string, opener: RegExp, closer: RegExp): number {
  const opens = [...line.matchAll(opener)].map((m) => m.index);
  const closes = line.match(closer)?.length ?? 0;
  return opens.length > closes ? opens[closes] : -1;
}
