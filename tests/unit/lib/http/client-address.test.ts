import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddressResolver, CLIENT_HEADER, clientKey, stampClientAddress } from "@/lib/http/client-address";

function req(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress }, connection: { remoteAddress }, headers: { ...headers } } as unknown as IncomingMessage;
}

describe("client address", () => {
  it("without trusted proxies: the socket's address, whatever the headers claim", () => {
    const resolve = clientAddressResolver(undefined).address;
    expect(resolve(req("198.51.100.7", { "x-forwarded-for": "203.0.113.1", "x-real-ip": "203.0.113.2" }))).toBe("198.51.100.7");
  });

  it("behind a trusted proxy: the entry that proxy appended; earlier entries are the client's own words", () => {
    const resolve = clientAddressResolver("127.0.0.1, 10.0.0.0/8").address;
    expect(resolve(req("127.0.0.1", { "x-forwarded-for": "203.0.113.9, 198.51.100.1" }))).toBe("198.51.100.1");
    // Two trusted hops: the first untrusted one from the right.
    expect(resolve(req("127.0.0.1", { "x-forwarded-for": "203.0.113.9, 198.51.100.1, 10.1.2.3" }))).toBe("198.51.100.1");
    // A direct client that is not a trusted proxy cannot forward anything.
    expect(resolve(req("198.51.100.50", { "x-forwarded-for": "203.0.113.9" }))).toBe("198.51.100.50");
  });

  // Before any stamp: the process is unmarked (the order of these tests matters).
  it("the stamp replaces a client's own header, and only a stamped process trusts it", () => {
    const r = req("198.51.100.7", { [CLIENT_HEADER]: "made-up" });
    const before = clientKey(new Request("http://x/", { headers: { [CLIENT_HEADER]: "made-up" } }));
    expect(before).toBe("all-clients");
    stampClientAddress(r, clientAddressResolver(undefined));
    expect(r.headers[CLIENT_HEADER]).toBe("198.51.100.7");
    expect(clientKey(new Request("http://x/", { headers: { [CLIENT_HEADER]: "198.51.100.7" } }))).toBe("198.51.100.7");
  });

  it("X-Forwarded-Host/-Proto/-Port survive only from a trusted proxy", () => {
    const resolver = clientAddressResolver("127.0.0.1");
    const direct = req("198.51.100.7", { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" });
    stampClientAddress(direct, resolver);
    expect(direct.headers["x-forwarded-host"]).toBeUndefined();
    expect(direct.headers["x-forwarded-proto"]).toBeUndefined();
    const proxied = req("127.0.0.1", { "x-forwarded-host": "tutor.example.edu", "x-forwarded-for": "198.51.100.7" });
    stampClientAddress(proxied, resolver);
    expect(proxied.headers["x-forwarded-host"]).toBe("tutor.example.edu");
    expect(proxied.headers[CLIENT_HEADER]).toBe("198.51.100.7");
  });
});
