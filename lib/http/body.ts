import { TutorError } from "../errors";

/**
 * Reads a JSON request body without ever holding more than `limitBytes` of it: a declared Content-Length over
 * the limit is refused unread, and a chunked body is counted as it streams and abandoned (413) the moment it
 * passes the limit, so memory stays bounded whatever a client sends.
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
    if (size > limitBytes) {
      // Stop reading: the rest is never buffered (Node discards what still arrives once the response is sent).
      await reader.cancel().catch(() => {});
      throw tooLarge();
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
