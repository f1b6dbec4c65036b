import { TutorError } from "../errors";

/**
 * Most pieces a body may arrive in. Each piece costs a read whatever its size, so a body sent as one-byte chunks
 * (chunked encoding makes every chunk a piece) would cost the server a thousand times the CPU of the same bytes
 * in a few pieces — found by fuzzing: 300 KB in 1-byte pieces took seconds. Real clients send a 1 MB body in
 * at most a few hundred pieces.
 */
export const MAX_BODY_PIECES = 8192;

/**
 * Reads a JSON request body without ever holding more than `limitBytes` of it: a declared Content-Length over
 * the limit is refused unread, and a chunked body is counted as it streams and abandoned (413) the moment it
 * passes the limit (or MAX_BODY_PIECES), so memory and time stay bounded whatever a client sends.
 */
export async function readJsonBody(request: Request, limitBytes: number): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type.trim())) {
    throw new TutorError("unsupported-media-type", `The request body must be JSON (Content-Type: application/json)${type ? `, not ${type.split(";")[0].slice(0, 60)}` : ""}.`);
  }
  const tooLarge = () => new TutorError("payload-too-large", `The request body is larger than ${limitBytes.toLocaleString("en-US")} bytes.`);
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > limitBytes) throw tooLarge();
  if (!request.body) throw new TutorError("bad-request", "The request has no body.");
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes || chunks.length >= MAX_BODY_PIECES) {
      // Stop reading: the rest is never buffered (Node discards what still arrives once the response is sent).
      await reader.cancel().catch(() => {});
      if (size > limitBytes) throw tooLarge();
      throw new TutorError("payload-too-large", `The request body arrived in more than ${MAX_BODY_PIECES.toLocaleString("en-US")} pieces; send it in larger chunks.`);
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks, size).toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    throw new TutorError("bad-request", "The request body is not valid JSON.");
  }
}
