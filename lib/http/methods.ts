import { errorBody, TutorError } from "../errors";

/**
 * Route handlers for the methods a route does not serve: a JSON 405 naming the ones it does, in `Allow` too
 * (Next's own 405 has an empty body and no Allow). Spread into a route: `export const { PUT, … } = …`.
 */
export function methodNotAllowed(allowed: string[]) {
  const allow = allowed.join(", ");
  const handler = (request: Request) => {
    const err = new TutorError("method-not-allowed", `${request.method} is not supported here; use ${allow}.`, { details: { allow: allowed } });
    return Response.json(errorBody(err), { status: err.status, headers: { allow, "cache-control": "no-store" } });
  };
  return { GET: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler };
}
