import type { NextConfig } from "next";
import { API_CSP, STATIC_SECURITY_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // Native modules run only in the Node.js runtime and must not be bundled (LanceDB, onnxruntime).
  serverExternalPackages: ["@lancedb/lancedb", "onnxruntime-node", "@huggingface/transformers", "sharp", "pino", "ioredis"],
  poweredByHeader: false,
  reactStrictMode: true,
  experimental: {
    // proxy.ts runs on pages only (never on /api), but Next buffers the body of any request it sees: keep that small.
    proxyClientMaxBodySize: "1mb",
  },
  async headers() {
    return [
      { source: "/:path*", headers: STATIC_SECURITY_HEADERS },
      // Pages get their CSP (with a nonce) from proxy.ts; the API gets the strictest one here.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
    ];
  },
};

export default nextConfig;
