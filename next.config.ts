import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native modules run only in the Node.js runtime and must not be bundled (LanceDB, onnxruntime).
  serverExternalPackages: ["@lancedb/lancedb", "onnxruntime-node", "@huggingface/transformers", "sharp", "pino"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
