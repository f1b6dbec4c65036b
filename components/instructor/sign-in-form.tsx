/**
 * The instructor page without credentials (401): a form that posts the token once to
 * /api/instructor/sign-in, which sets an HttpOnly, SameSite=Strict session cookie and comes back here.
 * A plain HTML form: it works without JavaScript and the token never appears in an address.
 */
export function SignInForm({ course, failed }: { course: string; failed: boolean }) {
  return (
    <article className="instructor-sign-in" data-testid="instructor-sign-in">
      <h1>Instructor sign-in</h1>
      <p>This page shows what students asked about the course. Enter the instructor token (the server&apos;s TUTOR_INSTRUCTOR_TOKEN).</p>
      {failed ? (
        <p role="alert" data-testid="sign-in-failed">
          That token is not right. Try again.
        </p>
      ) : null}
      <form method="post" action="/api/instructor/sign-in" className="lookup">
        <input type="hidden" name="course" value={course} />
        <label htmlFor="instructor-token" className="visually-hidden">
          Instructor token
        </label>
        <input id="instructor-token" name="token" type="password" autoComplete="current-password" required placeholder="Instructor token" />
        <button type="submit">Sign in</button>
      </form>
    </article>
  );
}
