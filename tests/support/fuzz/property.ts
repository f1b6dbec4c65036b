/** What every fuzz target shares: the target's shape and how a broken property is reported. */
import type fc from "fast-check";

/** A broken property: the message says which and why. */
export class PropertyViolation extends Error {}

export function fail(message: string): never {
  throw new PropertyViolation(message);
}

/** A thrown value as one line. */
export const describeThrown = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

export interface FuzzTarget<I = unknown> {
  name: string;
  /** What it parses, for the report. */
  what: string;
  arbitrary: fc.Arbitrary<I>;
  /** Runs the parser on one input; throws PropertyViolation (or whatever the parser threw) when a property fails. */
  check: (input: I) => void | Promise<void>;
  /** Share of the bench's inputs (the slow whole-folder loader gets fewer). */
  weight?: number;
}
