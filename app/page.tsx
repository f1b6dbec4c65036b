import Link from "next/link";
import { env } from "@/lib/env";
import { toTutorError } from "@/lib/errors";
import { findPassages, type SearchResponse } from "@/lib/retrieve/search";
import { renderCourseText } from "@/lib/render/course-text";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function Home({ searchParams }: Props) {
  const sp = await searchParams;
  const q = typeof sp.q === "string" ? sp.q.trim().slice(0, 2000) : "";
  let response: SearchResponse | undefined;
  let error: string | undefined;
  if (q) {
    try {
      response = await findPassages({ question: q, k: 5, defaultCourse: env.TUTOR_DEFAULT_COURSE });
    } catch (e) {
      error = toTutorError(e).message;
    }
  }
  return (
    <>
      <h1>Ask the notes</h1>
      <form className="lookup" action="/" method="get" role="search">
        <label htmlFor="q" className="muted">
          Question
        </label>
        <input id="q" name="q" defaultValue={q} placeholder="e.g. which identity do I need in ex 1.41(b)?" data-testid="search-input" />
        <button type="submit">Search</button>
      </form>
      <form className="lookup" action="/cite" method="get">
        <label htmlFor="ref" className="muted">
          Look up a label
        </label>
        <input id="ref" name="ref" placeholder="Exercise 1.41, Def 1.42, §1.6" data-testid="cite-input" />
        <button type="submit">Open</button>
      </form>
      {error && <p role="alert">{error}</p>}
      {response && (
        <section aria-label="Passages" data-testid="search-results">
          {response.results.length === 0 && <p>Nothing in the notes matches that question.</p>}
          {response.results.map((r) => (
            <article key={r.id}>
              <h2>
                <Link href={`/cite/${encodeURIComponent(r.label)}`}>{r.headingPath}</Link>
              </h2>
              {r.refs.length > 0 && (
                <ul className="chips" aria-label="Items in this passage">
                  {r.refs.map((ref) => (
                    <li key={ref}>
                      <Link href={`/cite/${encodeURIComponent(ref)}`}>{ref}</Link>
                    </li>
                  ))}
                </ul>
              )}
              <div className="passage" dangerouslySetInnerHTML={{ __html: renderCourseText(r.text.split("\n\n").slice(1).join("\n\n")) }} />
            </article>
          ))}
        </section>
      )}
    </>
  );
}
