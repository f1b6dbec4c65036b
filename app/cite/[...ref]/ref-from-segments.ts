/**
 * "/cite/Exercise%201.41" and "/cite/exercise/1.41" both mean "Exercise 1.41". proxy.ts answers a malformed
 * escape ("/cite/%ZZ") with a 400 before the page runs; should one get here, it is taken literally.
 */
export function refFromSegments(segments: string[]): string {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return segments.map(decode).join(" ").trim().slice(0, 200);
}
