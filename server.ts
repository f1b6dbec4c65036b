/**
 * The app's HTTP server: Next.js behind a plain Node server (Next's documented custom server), so that every
 * request is stamped with the client's address from the socket (lib/http/client-address.ts) — Next's own
 * `next start` exposes only headers, which a client writes. `npm start` runs this after `next build`.
 *   npm start -- [--port 3000] [--hostname 127.0.0.1]
 */
import { createServer, type ServerResponse } from "node:http";
import next from "next";
import { clientAddressResolver, stampClientAddress } from "./lib/http/client-address";
import { env } from "./lib/env";
import { log } from "./lib/log";
import { warmUpRoutes } from "./lib/http/warm-up";
import { stampRequestId, takePageStatus } from "./lib/http/page-status";

/** The last `--name value` (so `npm start -- --port 4000` overrides the script's own --port). */
function flag(name: string): string | undefined {
  const i = process.argv.lastIndexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * Two adjustments as the head goes out:
 * - a 413 is sent while the refused body may still be streaming in; Node would then read the rest to keep the
 *   connection alive. Closing the connection after the answer stops the upload instead of draining it;
 * - a page that asked for a status (lib/http/page-status.ts: a "no such label" page is a 404 with its text in
 *   the HTML) gets it in place of Next's 200.
 */
function adjustHead(res: ServerResponse, requestId: string) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    const asked = takePageStatus(requestId);
    if (asked && args[0] === 200) {
      args[0] = asked;
      // writeHead(200, "OK", …): the reason phrase would now be wrong; Node fills in the right one.
      if (typeof args[1] === "string") args.splice(1, 1);
    }
    if (args[0] === 413) this.shouldKeepAlive = false;
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
}

async function main() {
  const port = Number(flag("port") ?? 3000);
  // Unset: every interface, as `next start` does.
  const hostname = flag("hostname");
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not ${flag("port")}`);
  const app = next({ dev: false, dir: process.cwd(), hostname: hostname ?? "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const resolveClient = clientAddressResolver(env.TUTOR_TRUSTED_PROXIES);
  const server = createServer((req, res) => {
    stampClientAddress(req, resolveClient);
    const requestId = stampRequestId(req);
    adjustHead(res, requestId);
    res.once("close", () => takePageStatus(requestId));
    void handle(req, res);
  });
  server.listen(port, hostname, () => {
    const addr = server.address();
    const shown = typeof addr === "object" && addr ? `${addr.address}:${addr.port}` : String(addr);
    log.info({ trustedProxies: env.TUTOR_TRUSTED_PROXIES ?? "none", sharedLimits: !!env.TUTOR_REDIS_URL }, `course tutor listening on ${shown}`);
    process.stdout.write(`> Ready on http://${shown}\n`);
    // Load the page's and the chat route's modules now, not on the first student's question.
    const local = typeof addr === "object" && addr ? `http://${addr.family === "IPv6" ? `[${addr.address}]` : addr.address}:${addr.port}` : null;
    if (local) {
      void warmUpRoutes(local.replace("[::]", "[::1]").replace("0.0.0.0", "127.0.0.1")).then((warmed) => log.info({ warmed }, "routes warmed up"));
    }
  });
  // Answered questions still buffered for insights (lib/insights/store.ts) are written before the process ends.
  const stop = () => {
    const flushed = import("./lib/insights/store").then(({ flushAllInsights }) => flushAllInsights()).catch(() => {});
    server.close(() => void flushed.finally(() => process.exit(0)));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
