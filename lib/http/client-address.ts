import type { IncomingMessage } from "node:http";
import proxyaddr from "proxy-addr";

/**
 * Who a request comes from, decided where the socket is still visible: in the app's own HTTP server
 * (server.ts), since Next.js route handlers see only headers (`request.ip` is gone since Next 15, and
 * `next start` passes a client's own `X-Forwarded-For` through). The server overwrites CLIENT_HEADER on every
 * request and marks the process, so a handler reads an address no client can choose.
 */
export const CLIENT_HEADER = "x-tutor-client";

const MARK = Symbol.for("course-tutor.client-address-server");

/**
 * Builds the resolver for TUTOR_TRUSTED_PROXIES. Unset: the socket's address, whatever the headers say.
 * Set: the socket must be one of those proxies for `X-Forwarded-For` to count, and the client is the entry the
 * nearest untrusted hop appended (proxy-addr walks the list from the right, past the trusted proxies).
 */
export interface ClientResolver {
  address: (req: IncomingMessage) => string;
  /** Whether the socket's peer is one of the trusted proxies (whose X-Forwarded-* headers count). */
  fromTrustedProxy: (req: IncomingMessage) => boolean;
}

export function clientAddressResolver(trustedProxies: string | undefined): ClientResolver {
  const list = (trustedProxies ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const trust = proxyaddr.compile(list);
  return {
    address: (req) => proxyaddr(req, trust),
    fromTrustedProxy: (req) => !!req.socket?.remoteAddress && trust(req.socket.remoteAddress, 0),
  };
}

/**
 * Stamps the resolved address on the request (replacing whatever a client sent in that header). A request not
 * from a trusted proxy loses the X-Forwarded-Host/-Proto/-Port it claims (Next fills them from the request
 * itself), so the same-origin check (lib/http/origin.ts) can believe X-Forwarded-Host.
 */
export function stampClientAddress(req: IncomingMessage, resolve: ClientResolver): void {
  req.headers[CLIENT_HEADER] = resolve.address(req) || "unknown";
  if (!resolve.fromTrustedProxy(req)) {
    delete req.headers["x-forwarded-host"];
    delete req.headers["x-forwarded-proto"];
    delete req.headers["x-forwarded-port"];
  }
  (globalThis as Record<symbol, unknown>)[MARK] = true;
}

/**
 * The client a request counts against: the address server.ts stamped. Without that server (`next dev`, a bare
 * `next start`) no address can be trusted, so every request shares one key: limits hold for the whole app
 * rather than being dodged by a made-up header.
 */
export function clientKey(request: Request): string {
  if (!(globalThis as Record<symbol, unknown>)[MARK]) return "all-clients";
  return request.headers.get(CLIENT_HEADER)?.trim() || "unknown";
}
