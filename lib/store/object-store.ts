import { env, objectStoreProblems, type Env } from "../env";
import { TutorError } from "../errors";

/** True for a store on object storage (`s3://bucket/prefix`, or another URI scheme LanceDB knows). */
export const isObjectStoreUri = (uri: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(uri);

/**
 * LanceDB storage options of an `s3://` store, from the environment (the usual AWS names, plus TUTOR_S3_* for
 * S3-compatible services). Passed explicitly to every connection, so the store never depends on which
 * variables the native object-store client happens to read. Throws a `bad-request` naming the variable to set
 * (never its value) when the settings cannot work.
 */
export function objectStoreOptions(uri: string, e: Env = env): Record<string, string> {
  if (!/^s3:\/\//i.test(uri)) return {};
  const problems = objectStoreProblems(e);
  if (problems.length) {
    throw new TutorError("bad-request", `cannot open the s3:// store: ${problems.map((p) => `${p.variable} ${p.message}`).join("; ")}`);
  }
  const endpoint = e.TUTOR_S3_ENDPOINT ?? e.AWS_ENDPOINT_URL_S3 ?? e.AWS_ENDPOINT_URL;
  const options: Record<string, string> = { aws_region: (e.AWS_REGION ?? e.AWS_DEFAULT_REGION)! };
  if (e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY) {
    options.aws_access_key_id = e.AWS_ACCESS_KEY_ID;
    options.aws_secret_access_key = e.AWS_SECRET_ACCESS_KEY;
    if (e.AWS_SESSION_TOKEN) options.aws_session_token = e.AWS_SESSION_TOKEN;
  }
  if (endpoint) options.aws_endpoint = endpoint;
  const pathStyle = e.TUTOR_S3_PATH_STYLE ?? !!endpoint;
  options.aws_virtual_hosted_style_request = String(!pathStyle);
  options.allow_http = String(e.TUTOR_S3_ALLOW_HTTP ?? (!!endpoint && /^http:/i.test(endpoint)));
  return options;
}
