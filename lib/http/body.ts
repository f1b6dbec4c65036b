import { TutorError } from "../errors";

/**
 * Most pieces a body may arrive in. Each piece costs a read whatever its size, so a body sent as one-byte chunks
 * (chunked encoding makes every chunk a piece) would cost the server a thousand times the CPU of the same bytes
 * in a few pieces — found by fuzzing: 300 KB in 1-byte pieces took seconds. Real clients send a 1 MB body in
 * at most a few hundred pieces.
 */
export const MAX_BODY_PIECES = 8192;

/**
 * The bytes of a request body, never holding more than `limitBytes` of it: a declared Content-Length over the
 * limit is refused unread, and a chunked body is counted as it streams and abandoned (413) the moment it passes
 * the limit (or `maxPieces`), so memory and time stay bounded whatever a client sends.
 */
export async function readBoundedBody(request: Request, limitBytes: number, opts: { what?: string; maxPieces?: number } = {}): Promise<Buffer> {
  const what = opts.what ?? "The request body";
  const maxPieces = opts.maxPieces ?? MAX_BODY_PIECES;
  const tooLarge = () => new TutorError("payload-too-large", `${what} is larger than ${limitBytes.toLocaleString("en-US")} bytes.`);
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
    if (size > limitBytes || chunks.length >= maxPieces) {
      // Stop reading: the rest is never buffered (Node discards what still arrives once the response is sent).
      await reader.cancel().catch(() => {});
      if (size > limitBytes) throw tooLarge();
      throw new TutorError("payload-too-large", `${what} arrived in more than ${maxPieces.toLocaleString("en-US")} pieces; send it in larger chunks.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** Reads a JSON request body within `limitBytes` (`readBoundedBody`); 415 for another content type, 400 for bad JSON. */
export async function readJsonBody(request: Request, limitBytes: number): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type.trim())) {
    throw new TutorError("unsupported-media-type", `The request body must be JSON (Content-Type: application/json)${type ? `, not ${type.split(";")[0].slice(0, 60)}` : ""}.`);
  }
  const text = (await readBoundedBody(request, limitBytes)).toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    throw new TutorError("bad-request", "The request body is not valid JSON.");
  }
}
