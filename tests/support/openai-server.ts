/**
 * A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol, for tests and local UI work.
 *
 *   POST /v1/chat/completions   (stream: true → SSE `data: {choices:[{delta:{content}}]}` … `data: [DONE]`; else one JSON)
 *   GET  /v1/models
 *
 * Replies come from a script: `script(req) → ScriptedReply`. The default script picks a reply by keywords in the
 * last user message (see `defaultScript`). Standalone: `node --import tsx tests/support/openai-server.ts --port 4010`
 * (`--port 0`: any free port) prints `listening on <url>` (the base URL, ending in /v1) when ready.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ScriptedReply = {
  /** The reply in pieces, one SSE chunk each (stream) or joined (non-stream). */
  chunks?: string[];
  /** The reply as one string; split into word-sized chunks when streaming. Ignored when `chunks` is given. */
  text?: string;
  /** Pause between chunks. */
  chunkDelayMs?: number;
  /** Pause before the response headers are sent. */
  firstByteDelayMs?: number;
  /** HTTP status; anything but 200 answers with `errorBody` (an OpenAI-style error JSON by default). */
  status?: number;
  errorBody?: string;
  /** Destroy the socket after this many content chunks (a stream that breaks midway). */
  breakAfterChunks?: number;
};

export type FakeChatRequest = { model: string; messages: { role: string; content: string }[]; stream?: boolean };

export type RecordedRequest = {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** True once the client closed the connection before the reply ended (client abort). */
  aborted: boolean;
  /** True once the full reply was written. */
  completed: boolean;
};

export type FakeOpenAI = {
  /** Base URL ending in `/v1`. */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
};

/** Labels as they appear in a tutor system prompt's context headers/refs ("Section 1.6", "Exercise 1.41"). */
const LABEL_RE =
  /\b(Chapter|Section|Subsection|Exercise|Definition|Theorem|Lemma|Proposition|Corollary|Example|Remark)\s+(\d+(?:\.\d+)*)/g;

function labelsIn(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(LABEL_RE)) seen.add(`${m[1]} ${m[2]}`);
  return [...seen];
}

/**
 * Labels of the retrieved context: the `label="…"` / `contains="…"` passage headers when present, else any
 * label after "<course-notes>", else any label at all (guidance text may name labels that were not retrieved).
 */
function contextLabels(system: string): string[] {
  const headers = [...system.matchAll(/<passage\b[^>]*>/g)].map((m) => m[0]);
  const fromHeaders = labelsIn(headers.map((h) => [...h.matchAll(/(?:label|contains)="([^"]*)"/g)].map((a) => a[1]).join(", ")).join(", "));
  if (fromHeaders.length) return fromHeaders;
  const at = system.indexOf("<course-notes>");
  return labelsIn(at >= 0 ? system.slice(at) : system);
}

/** Text of a message whose content may be a string or an array of content parts. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((p) => (p && typeof p === "object" && "text" in p ? String((p as { text: unknown }).text) : "")).join("");
  return "";
}

/**
 * The default script, by keywords in the last user message:
 * - default: a short answer with inline and display math citing the first two labels of the system prompt's
 *   context (the passage headers), else [Exercise 1.41] and [Section 1.6];
 * - UPSTREAM_FAIL: HTTP 500; BREAK_STREAM: the connection breaks after 2 chunks; SLOW_STREAM: 40 chunks 150 ms apart;
 * - FAKE_CITATION: cites [Exercise 9.99]; LOOSE_CITATIONS: cites as people type ("[ex 1.41(b)]", "[§1.6]").
 */
export function defaultScript(req: FakeChatRequest): ScriptedReply {
  const lastUser = [...req.messages].reverse().find((m) => m.role === "user")?.content ?? "";
  if (lastUser.includes("UPSTREAM_FAIL"))
    return { status: 500, errorBody: JSON.stringify({ error: { message: "fake upstream failure", type: "server_error" } }) };
  if (lastUser.includes("FAKE_CITATION"))
    return { text: "As shown in [Exercise 9.99], the claim follows by induction on $n$." };
  if (lastUser.includes("LOOSE_CITATIONS")) return { text: "Start from [ex 1.41(b)], and reread [§1.6]." };
  if (lastUser.includes("SLOW_STREAM"))
    return { chunks: Array.from({ length: 40 }, (_, i) => `slow${i} `), chunkDelayMs: 150 };

  const system = req.messages.filter((m) => m.role === "system").map((m) => m.content).join("\n");
  const found = contextLabels(system);
  const [a, b] = [found[0] ?? "Exercise 1.41", found[1] ?? "Section 1.6"];
  const text =
    `Here is the idea, step by step. By [${a}], write the ratio as $\\frac{a}{b}$ with $b \\neq 0$.\n\n` +
    `Summing the first $n$ integers gives\n\n$$\\sum_{k=1}^n k = \\frac{n(n+1)}{2}$$\n\n` +
    `which is exactly the setting of [${b}].`;
  if (lastUser.includes("BREAK_STREAM")) return { text, breakAfterChunks: 2 };
  return { text };
}

function splitWords(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

/** Starts the fake server on 127.0.0.1 (a free port unless `port` is given). */
export async function startFakeOpenAI(
  opts: { port?: number; script?: (req: FakeChatRequest) => ScriptedReply } = {},
): Promise<FakeOpenAI> {
  const script = opts.script ?? defaultScript;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();

  const server = createServer(async (req, res) => {
    const rec: RecordedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: undefined, aborted: false, completed: false };
    requests.push(rec);
    // `close` on the response fires when the socket goes away; before `completed` that is a client abort.
    res.on("close", () => {
      if (!rec.completed) rec.aborted = true;
    });
    try {
      await handle(req, res, rec);
    } catch (e) {
      if (!res.headersSent) json(res, 500, { error: { message: String(e), type: "server_error" } });
      else res.destroy();
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest) {
    const url = new URL(req.url ?? "/", "http://x");
    if (req.method === "GET" && url.pathname === "/v1/models") {
      rec.completed = true;
      return json(res, 200, { object: "list", data: [{ id: "fake-model", object: "model", created: 0, owned_by: "fake" }] });
    }
    if (req.method !== "POST" || url.pathname !== "/v1/chat/completions") {
      rec.completed = true;
      return json(res, 404, { error: { message: `no route ${req.method} ${url.pathname}`, type: "invalid_request_error" } });
    }
    let body: { model?: string; messages?: { role: string; content: unknown }[]; stream?: boolean };
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      rec.completed = true;
      return json(res, 400, { error: { message: "invalid JSON body", type: "invalid_request_error" } });
    }
    rec.body = body;
    const chatReq: FakeChatRequest = {
      model: body.model ?? "",
      stream: body.stream,
      messages: (body.messages ?? []).map((m) => ({ role: m.role, content: contentText(m.content) })),
    };
    const reply = script(chatReq);
    if (reply.firstByteDelayMs) await sleep(reply.firstByteDelayMs);
    if (res.destroyed) return;
    if (reply.status && reply.status !== 200) {
      rec.completed = true;
      res.writeHead(reply.status, { "content-type": "application/json" });
      res.end(reply.errorBody ?? JSON.stringify({ error: { message: `fake error ${reply.status}`, type: "server_error" } }));
      return;
    }
    const chunks = reply.chunks ?? splitWords(reply.text ?? "");
    const id = `chatcmpl-fake-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const model = chatReq.model || "fake-model";

    if (!body.stream) {
      if (reply.breakAfterChunks !== undefined) return void res.destroy();
      rec.completed = true;
      return json(res, 200, {
        id,
        object: "chat.completion",
        created,
        model,
        choices: [{ index: 0, message: { role: "assistant", content: chunks.join("") }, finish_reason: "stop" }],
        usage: { prompt_tokens: 10, completion_tokens: chunks.length, total_tokens: 10 + chunks.length },
      });
    }

    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    // Resolve once the bytes reached the socket, so a deliberate break below loses nothing already "sent".
    const send = (obj: unknown) =>
      new Promise<void>((resolve) => {
        if (res.destroyed) return resolve();
        res.write(`data: ${JSON.stringify(obj)}\n\n`, () => resolve());
      });
    const base = { id, object: "chat.completion.chunk", created, model };
    res.flushHeaders();
    await send({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
    for (let i = 0; i < chunks.length; i++) {
      if (res.destroyed) return;
      if (reply.breakAfterChunks !== undefined && i >= reply.breakAfterChunks) {
        // Kill the connection mid-stream: no [DONE], no finish_reason.
        await sleep(20);
        res.socket?.destroy();
        return;
      }
      if (i > 0 && reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
      if (res.destroyed) return;
      await send({ ...base, choices: [{ index: 0, delta: { content: chunks[i] }, finish_reason: null }] });
    }
    await send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: { prompt_tokens: 10, completion_tokens: chunks.length, total_tokens: 10 + chunks.length } });
    res.write("data: [DONE]\n\n");
    rec.completed = true;
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

// Standalone: node --import tsx tests/support/openai-server.ts --port 4010
const isMain = (() => {
  try {
    return import.meta.url === new URL(`file://${process.argv[1]}`).href || process.argv[1]?.endsWith("openai-server.ts");
  } catch {
    return false;
  }
})();
if (isMain) {
  const i = process.argv.indexOf("--port");
  const port = i >= 0 ? Number(process.argv[i + 1]) : 4010;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a port number (0 for any free port)\n`);
    process.exit(2);
  }
  const fake = await startFakeOpenAI({ port });
  process.stdout.write(`listening on ${fake.url}\n`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
