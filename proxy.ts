import { NextResponse, type NextRequest } from "next/server";

/**
 * A citation address with a malformed escape ("/cite/%ZZ") would make Next's route matching throw a
 * bare 500; answer 400 with a reason instead, before routing.
 */
export function proxy(request: NextRequest) {
  try {
    decodeURIComponent(request.nextUrl.pathname);
    return NextResponse.next();
  } catch {
    return new NextResponse("Bad request: the address has a malformed %-escape. Open a label as /cite/Exercise%201.41.", {
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
}

export const config = { matcher: "/cite/:path*" };
