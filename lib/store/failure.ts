import { TutorError } from "../errors";
import { DAMAGED_STORE_MESSAGE } from "./heal";
import { invalidateSnapshots } from "./read";

/**
 * A LanceDB read that failed under a loaded snapshot (a data file deleted or damaged after it was opened):
 * the cached snapshot is dropped, so the next request looks for a complete version again (lib/store/heal.ts),
 * and this one is a 503 `store-unavailable` with a reason instead of a 500. Null for any other error.
 */
export function storeFailure(e: unknown): TutorError | null {
  if (e instanceof TutorError || !(e instanceof Error)) return null;
  const text = `${e.message} ${String((e as { cause?: unknown }).cause ?? "")}`;
  if (!/lance ?error|LanceError|\.lance\b|Object at location .* not found/i.test(text)) return null;
  invalidateSnapshots();
  return new TutorError("store-unavailable", `${DAMAGED_STORE_MESSAGE} (or it is being repaired: try again in a moment).`, { cause: e });
}
