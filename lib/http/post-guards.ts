import { env } from "../env";
import { assertSameOrigin } from "./origin";
import { rateLimit } from "./rate-limit";
import { errorResponse } from "./respond";

/**
 * The guards every state-changing POST from the app's pages passes first, cheapest first: the page's origin
 * (403 `forbidden-origin`; `TUTOR_ALLOWED_ORIGINS` adds others), then the request rate (429 with Retry-After).
 * Returns the refusal, or null when the request may go on.
 */
export async function postGuards(request: Request, route: string): Promise<Response | null> {
  try {
    assertSameOrigin(request, env.TUTOR_ALLOWED_ORIGINS);
  } catch (e) {
    return errorResponse(e, route);
  }
  return rateLimit(request, route);
}
