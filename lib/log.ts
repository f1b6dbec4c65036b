import pino from "pino";
import { env } from "./env";

/** The server log (stderr). User-facing messages never carry what goes here. */
export const log = pino({ level: env.LOG_LEVEL, base: undefined }, pino.destination(2));
