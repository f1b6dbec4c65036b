import { env } from "../lib/env";
import { describeLlm } from "../lib/llm/config";
import { getChatLlm } from "../lib/llm/model";
import { prepareTurn, streamAnswer } from "../lib/tutor/answer";
import type { CitationsData, NoticeData, SourceMeta } from "../lib/tutor/contract";
import { fail, parseCli } from "./lib/cli";

const USAGE = `Usage: npm run ask -- "<question>" [--course id] [--hint] [--k 5] [--db dir] [--json]

Asks the tutor, exactly as the chat page does (same retrieval, prompt, LLM and citation check): streams the
answer, then lists the passages used and each citation with its verdict (verified / not-retrieved / unknown).
The LLM comes from TUTOR_LLM_PROVIDER, TUTOR_LLM_BASE_URL, TUTOR_LLM_MODEL, TUTOR_LLM_API_KEY; without one the
answer quotes the notes and prints a prompt to paste into a chatbot.
--json prints one object: {answer, sources, citations: [{label, verdict}], grounded, notices, prompt?}.
Exit 1 when the answer failed (upstream error, timeout), 2 for bad usage.`;

const { values, positionals } = parseCli(USAGE, {
  course: { type: "string" },
  db: { type: "string" },
  k: { type: "string" },
  hint: { type: "boolean" },
  json: { type: "boolean" },
});
const question = positionals.join(" ").trim();
const k = values.k === undefined ? 5 : Number(values.k);
if (!question || !Number.isInteger(k) || k < 1 || k > 20) {
  process.stderr.write(`${!question ? "missing the question" : "--k must be an integer from 1 to 20"}\n\n${USAGE}\n`);
  process.exit(2);
}
const json = !!values.json;

interface SourceOut extends SourceMeta {
  id: string;
  title: string;
}

async function main() {
  const llm = getChatLlm();
  const turn = await prepareTurn({ question, course: values.course, defaultCourse: env.TUTOR_DEFAULT_COURSE, hint: !!values.hint, db: values.db, k });
  const abort = new AbortController();
  process.once("SIGINT", () => abort.abort(new Error("interrupted")));
  if (!json) process.stderr.write(`course ${turn.course.id} · ${turn.search.mode} retrieval · LLM: ${describeLlm(llm?.config ?? null)}${turn.hint ? " · hint mode" : ""}\n\n`);

  let answer = "";
  const sources: SourceOut[] = [];
  const notices: NoticeData[] = [];
  let citations: CitationsData = { citations: [], grounded: false };
  let prompt: string | undefined;
  let error: string | undefined;
  const stream = streamAnswer(turn, {
    model: llm?.model ?? null,
    timeoutMs: llm?.config.timeoutMs,
    maxOutputTokens: env.TUTOR_LLM_MAX_OUTPUT_TOKENS,
    answerMaxMs: env.TUTOR_LLM_ANSWER_MAX_MS,
    signal: abort.signal,
  });
  for await (const chunk of stream as unknown as AsyncIterable<import("../lib/tutor/contract").TutorUIMessageChunk>) {
    switch (chunk.type) {
      case "text-delta":
        answer += chunk.delta;
        if (!json) process.stdout.write(chunk.delta);
        break;
      case "source-document": {
        const meta = chunk.providerMetadata?.tutor as unknown as SourceMeta;
        sources.push({ id: chunk.sourceId, title: chunk.title, ...meta });
        break;
      }
      case "data-notice":
        notices.push(chunk.data);
        if (!json && chunk.data.kind !== "upstream-error" && chunk.data.kind !== "timeout") process.stderr.write(`note: ${chunk.data.message}\n`);
        break;
      case "data-citations":
        citations = chunk.data;
        break;
      case "data-prompt":
        prompt = chunk.data.prompt;
        break;
      case "error":
        error = chunk.errorText;
        break;
    }
  }

  if (json) {
    const out = {
      answer,
      sources,
      citations: citations.citations.map((c) => ({ label: c.label, verdict: c.verdict })),
      grounded: citations.grounded,
      notices,
      ...(prompt ? { prompt } : {}),
      ...(error ? { error } : {}),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    process.stdout.write("\n");
    if (error) process.stderr.write(`\nerror: ${error}\n`);
    const late = notices.filter((n) => n.kind === "ungrounded");
    for (const n of late) process.stderr.write(`\n!! ${n.message}\n`);
    process.stdout.write(`\nPassages used:\n`);
    for (const s of sources) process.stdout.write(`  ${s.label.padEnd(18)} ${s.title}\n`);
    process.stdout.write(`\nCitations${citations.grounded ? "" : " (answer not grounded)"}:\n`);
    if (!citations.citations.length) process.stdout.write("  (none)\n");
    const mark = { verified: "✓", "not-retrieved": "~", unknown: "✗" } as const;
    for (const c of citations.citations) process.stdout.write(`  ${mark[c.verdict]} ${c.label.padEnd(18)} ${c.verdict}\n`);
    // With an LLM answering here, the prompt is only for --json consumers; without one it is the point.
    if (prompt && !llm) process.stdout.write(`\n--- prompt to paste into a chatbot of your choice ---\n${prompt}\n--- end of prompt ---\n`);
  }
  process.exit(error ? 1 : 0);
}

main().catch((e) => fail(e, { json }));
