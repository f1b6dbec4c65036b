import { ZodError } from "zod";
import { errorBody, toTutorError, TutorError } from "../errors";
import { log } from "../log";
import { storeFailure } from "../store/failure";

/** The one place route handlers turn errors into responses: a status, a safe message, details to the log. */
export function errorResponse(e: unknown, route: string): Response {
  const err = e instanceof ZodError ? new TutorError("bad-request", formatZod(e)) : (storeFailure(e) ?? toTutorError(e));
  if (err.status >= 500) log.error({ route, err: e instanceof Error ? { message: e.message, stack: e.stack, cause: String(e.cause ?? "") } : e }, err.message);
  else log.info({ route, code: err.code }, err.message);
  return Response.json(errorBody(err), { status: err.status, headers: { "cache-control": "no-store" } });
}

export function formatZod(e: ZodError): string {
  return e.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

/** URLSearchParams → plain object with only the first value of each key (for zod). */
export function searchParamsObject(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (!(k in out)) out[k] = v;
  return out;
}
