/**
 * The closed set of errors a user can see. Each code has an HTTP status; `message` is safe to show.
 * Internals (stacks, LanceDB/onnxruntime messages, upstream bodies) go to the log via `cause`, never to the user.
 */
export const ERROR_STATUS = {
  "bad-request": 400,
  unauthorized: 401,
  "course-not-found": 404,
  "unknown-course": 404,
  "ambiguous-course": 400,
  "not-found": 404,
  "store-empty": 503,
  "store-unavailable": 503,
  "model-unavailable": 503,
  "upstream-error": 502,
  "rate-limited": 429,
  "limits-unavailable": 503,
  "payload-too-large": 413,
  "unsupported-media-type": 415,
  "forbidden-origin": 403,
  /** What the instructor's solutions policy keeps from students (the PDF of notes that hold withheld solutions). */
  withheld: 403,
  "method-not-allowed": 405,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class TutorError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra machine-readable data for the response body (e.g. suggestions, known courses). */
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, { cause: options?.cause });
    this.name = "TutorError";
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = options?.details;
  }
}

/** Any thrown value → a TutorError safe to show (unknown errors become "internal" with a generic message). */
export function toTutorError(e: unknown): TutorError {
  if (e instanceof TutorError) return e;
  return new TutorError("internal", "Something went wrong on our side. Please try again.", { cause: e });
}

/** The JSON body of an error response. */
export function errorBody(e: TutorError): Record<string, unknown> {
  return { error: e.code, message: e.message, ...(e.details ?? {}) };
}
