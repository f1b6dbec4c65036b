import { describe, expect, it } from "vitest";
import { TutorError } from "@/lib/errors";
import { assertSameOrigin } from "@/lib/http/origin";

const post = (headers: Record<string, string>) => new Request("http://tutor.example.edu/api/chat", { method: "POST", headers });

function refusal(headers: Record<string, string>, allowed?: string): TutorError | null {
  try {
    assertSameOrigin(post(headers), allowed);
    return null;
  } catch (e) {
    return e as TutorError;
  }
}

describe("assertSameOrigin", () => {
  it("admits the app's own pages, by Host or a trusted proxy's X-Forwarded-Host", () => {
    expect(refusal({ host: "tutor.example.edu", origin: "https://tutor.example.edu" })).toBeNull();
    expect(refusal({ host: "127.0.0.1:3000", "x-forwarded-host": "tutor.example.edu", origin: "https://tutor.example.edu" })).toBeNull();
  });

  it("admits requests no browser page made (no Origin, no Sec-Fetch-Site: cross-site)", () => {
    expect(refusal({ host: "tutor.example.edu" })).toBeNull();
    expect(refusal({ host: "tutor.example.edu", "sec-fetch-site": "same-origin" })).toBeNull();
  });

  it("refuses another site's page with 403 and a reason naming it", () => {
    const e = refusal({ host: "tutor.example.edu", origin: "https://evil.example" });
    expect(e?.status).toBe(403);
    expect(e?.code).toBe("forbidden-origin");
    expect(e?.message).toContain("https://evil.example");
    expect(refusal({ host: "tutor.example.edu", "sec-fetch-site": "cross-site" })?.status).toBe(403);
    expect(refusal({ host: "tutor.example.edu", origin: "null" })?.status).toBe(403);
    expect(refusal({ host: "tutor.example.edu", origin: "not a url" })?.status).toBe(403);
  });

  it("admits the origins in TUTOR_ALLOWED_ORIGINS, exactly", () => {
    const allowed = "https://lms.example.edu, https://other.example.edu/";
    expect(refusal({ host: "tutor.example.edu", origin: "https://lms.example.edu" }, allowed)).toBeNull();
    expect(refusal({ host: "tutor.example.edu", origin: "https://other.example.edu" }, allowed)).toBeNull();
    expect(refusal({ host: "tutor.example.edu", origin: "https://lms.example.edu.evil.example" }, allowed)?.status).toBe(403);
  });
});
