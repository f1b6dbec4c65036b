import pino from "pino";
import { env } from "../env";

/** Logger of lib/embed (JSON lines on stderr, so that CLIs can keep stdout for data). */
export const embedLog = pino({ name: "embed", level: env.LOG_LEVEL }, pino.destination(2));
