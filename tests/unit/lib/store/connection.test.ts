import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveDbUri } from "@/lib/store/connection";

describe("resolveDbUri", () => {
  it("makes a local store path absolute, so LanceDB never reads 'db-1' as a Cloud address", () => {
    expect(resolveDbUri("db-1")).toBe(path.resolve("db-1"));
    expect(resolveDbUri("dbx/store")).toBe(path.resolve("dbx/store"));
    expect(resolveDbUri("/tmp/store")).toBe("/tmp/store");
  });

  it("keeps object-store URIs as given", () => {
    expect(resolveDbUri("s3://bucket/course")).toBe("s3://bucket/course");
    expect(resolveDbUri("gs://b/c")).toBe("gs://b/c");
  });
});
