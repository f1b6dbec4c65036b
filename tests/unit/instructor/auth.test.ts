import { describe, expect, it } from "vitest";
import { instructorAccess, isInstructorToken, sessionCookie, sessionValue } from "@/lib/instructor/auth";

const TOKEN = "a-long-enough-instructor-token-123";

describe("instructorAccess", () => {
  it("is disabled without a configured token, whatever the request carries", () => {
    expect(instructorAccess({ authorization: `Bearer ${TOKEN}` }, undefined)).toBe("disabled");
    expect(instructorAccess({}, "")).toBe("disabled");
  });

  it("grants the exact bearer token and nothing near it", () => {
    expect(instructorAccess({ authorization: `Bearer ${TOKEN}` }, TOKEN)).toBe("granted");
    expect(instructorAccess({ authorization: `bearer ${TOKEN}` }, TOKEN)).toBe("granted");
    for (const wrong of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, "Bearer ", ""]) {
      expect(instructorAccess({ authorization: wrong }, TOKEN), wrong).toBe("denied");
    }
    expect(instructorAccess({}, TOKEN)).toBe("denied");
  });

  it("grants the session cookie of the token, not the token itself as a cookie, nor another token's session", () => {
    expect(instructorAccess({ cookie: sessionValue(TOKEN) }, TOKEN)).toBe("granted");
    expect(instructorAccess({ cookie: TOKEN }, TOKEN)).toBe("denied");
    expect(instructorAccess({ cookie: sessionValue(`${TOKEN}-old`) }, TOKEN)).toBe("denied");
    expect(sessionValue(TOKEN)).not.toContain(TOKEN);
  });

  it("compares sign-in tokens exactly", () => {
    expect(isInstructorToken(TOKEN, TOKEN)).toBe(true);
    expect(isInstructorToken(` ${TOKEN}`, TOKEN)).toBe(false);
    expect(isInstructorToken(TOKEN, undefined)).toBe(false);
  });

  it("sets an HttpOnly, SameSite=Strict cookie, Secure on https, and clears it", () => {
    const set = sessionCookie("v", true);
    expect(set).toMatch(/^tutor-instructor=v; /);
    for (const attr of ["HttpOnly", "SameSite=Strict", "Path=/", "Secure"]) expect(set).toContain(attr);
    expect(sessionCookie("v", false)).not.toContain("Secure");
    expect(sessionCookie(null, false)).toMatch(/^tutor-instructor=; .*Max-Age=0/);
  });
});
