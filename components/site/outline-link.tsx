"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/**
 * The header's "Outline": on a course's chat (`/c/<course>`) that course's outline, elsewhere `/course`, which
 * follows the course chosen last (the cookie) — so two tabs on two courses each open their own.
 */
export function OutlineLink() {
  const pathname = usePathname();
  const course = /^\/c\/([^/]+)\/?$/.exec(pathname ?? "")?.[1];
  return <Link href={course ? `/course?course=${course}` : "/course"}>Outline</Link>;
}
