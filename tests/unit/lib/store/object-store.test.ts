import { describe, expect, it } from "vitest";
import { parseEnv as parseEnvOf } from "@/lib/env";
import { objectStoreOptions } from "@/lib/store/object-store";

const parseEnv = (vars: Record<string, string>) => parseEnvOf(vars as NodeJS.ProcessEnv);
const SECRET = "wJalrXUtnFEMI-not-a-real-secret";
const s3 = { TUTOR_DB_DIR: "s3://tutor/courses" };

describe("an s3:// store's settings (lib/env.ts, lib/store/object-store.ts)", () => {
  it("an s3rver/MinIO-style endpoint gives path-style requests over HTTP, with the keys and region given", () => {
    const env = parseEnv({ ...s3, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: SECRET, AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: "http://127.0.0.1:4569" });
    expect(objectStoreOptions(env.TUTOR_DB_DIR, env)).toEqual({
      aws_region: "us-east-1",
      aws_access_key_id: "S3RVER",
      aws_secret_access_key: SECRET,
      aws_endpoint: "http://127.0.0.1:4569",
      aws_virtual_hosted_style_request: "false",
      allow_http: "true",
    });
  });

  it("on AWS itself (no endpoint): virtual-hosted style, HTTPS only, credentials left to the machine's role", () => {
    const env = parseEnv({ ...s3, AWS_DEFAULT_REGION: "eu-north-1" });
    expect(objectStoreOptions(env.TUTOR_DB_DIR, env)).toEqual({ aws_region: "eu-north-1", aws_virtual_hosted_style_request: "true", allow_http: "false" });
  });

  it("TUTOR_S3_* win: the endpoint over AWS_ENDPOINT_URL, explicit path style and HTTP flags", () => {
    const env = parseEnv({ ...s3, AWS_REGION: "x", AWS_ENDPOINT_URL: "http://a:1", TUTOR_S3_ENDPOINT: "https://b:2", TUTOR_S3_PATH_STYLE: "false", TUTOR_S3_ALLOW_HTTP: "1" });
    expect(objectStoreOptions(env.TUTOR_DB_DIR, env)).toMatchObject({ aws_endpoint: "https://b:2", aws_virtual_hosted_style_request: "true", allow_http: "true" });
  });

  it("settings that cannot work stop the start with the variable to set, never a secret's value", () => {
    const fail = (vars: Record<string, string>) => {
      try {
        parseEnv({ ...s3, ...vars });
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    expect(fail({ AWS_ACCESS_KEY_ID: "k", AWS_SECRET_ACCESS_KEY: SECRET })).toMatch(/AWS_REGION: required for an s3:\/\/ store/);
    const halfKeys = fail({ AWS_REGION: "r", AWS_SECRET_ACCESS_KEY: SECRET });
    expect(halfKeys).toMatch(/AWS_ACCESS_KEY_ID: required with AWS_SECRET_ACCESS_KEY/);
    expect(halfKeys).not.toContain(SECRET);
    expect(fail({ AWS_REGION: "r", TUTOR_S3_ENDPOINT: "http://127.0.0.1:9000", TUTOR_S3_ALLOW_HTTP: "false" })).toMatch(/TUTOR_S3_ALLOW_HTTP: is false but the S3 endpoint is a plain http/);
    expect(fail({ AWS_REGION: "r", TUTOR_S3_PATH_STYLE: "sometimes" })).toMatch(/TUTOR_S3_PATH_STYLE: must be true or false/);
    expect(fail({ AWS_REGION: "r", TUTOR_S3_ENDPOINT: "not a url" })).toMatch(/TUTOR_S3_ENDPOINT/);
    // A local store needs none of it.
    expect(fail({ TUTOR_DB_DIR: "data/lancedb" })).toBe("no error");
  });

  it("a CLI's --db s3://… with settings that cannot work is a bad-request naming the variable", () => {
    const env = parseEnv({});
    expect(() => objectStoreOptions("s3://tutor/x", env)).toThrow(/AWS_REGION required for an s3:\/\/ store/);
    expect(objectStoreOptions("/tmp/local", env)).toEqual({});
  });
});
