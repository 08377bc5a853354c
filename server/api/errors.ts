import { getLogger } from "@logtape/logtape";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { TFunction } from "i18next";
import {
  isDatabaseUnavailable,
  OutageLog,
  unavailableRetryAfterSeconds,
} from "../../db/unavailable.ts";
import { DomainError, TooManyRequests } from "../errors.ts";
import { negotiateLocale, translator } from "../i18n.ts";
import type { AppEnv, FieldProblem } from "./router.ts";

const logger = getLogger(["praxis", "http"]);
const outage = new OutageLog(logger, "the API");

function fromHttpException(error: HTTPException): DomainError {
  if (error.status === 413) return new DomainError("payload_too_large");
  if (error.status === 400 && /json/i.test(error.message)) return new DomainError("malformed_json");
  if (error.status === 415) return new DomainError("unsupported_media_type");
  if (error.status === 401) return new DomainError("not_signed_in");
  return new DomainError("invalid_input");
}

/**
 * A field as readers call it, never its name in the code: `conceptNote.overview` and
 * `attachments.0` are named by their last word, and a field without a name of its own is
 * "one field".
 */
function fieldName(tv: TFunction, path: string): string {
  const word = path
    .split(".")
    .filter((part) => !/^\d+$/.test(part))
    .pop();
  return tv(`fields.${word}`, { defaultValue: tv("fields.unnamed") });
}

/** The one place a failure becomes an HTTP answer: `{ error: { code, message } }`, translated. */
export function renderError(error: unknown, c: Context<AppEnv>): Response {
  let domain: DomainError;
  if (error instanceof DomainError) domain = error;
  else if (error instanceof HTTPException) domain = fromHttpException(error);
  else if (isDatabaseUnavailable(error)) {
    outage.failed(error);
    domain = new DomainError("database_unavailable");
  } else {
    logger.error("Unexpected failure on {method} {path}: {error}", {
      method: c.req.method,
      path: c.req.path,
      error,
    });
    domain = new DomainError("internal");
  }
  const locale = c.get("locale") ?? negotiateLocale(c.req.header("accept-language")) ?? "en";
  const t = translator(locale, "errors");
  const details = Array.isArray(domain.details) ? (domain.details as FieldProblem[]) : undefined;
  const tv = translator(locale, "validation");
  const problems = details?.map((detail) =>
    tv("problem", {
      field: fieldName(tv, detail.field),
      problem: tv(detail.problem, { limit: detail.limit, defaultValue: tv("invalid") }),
    }),
  );
  const message = t(domain.code, { ...domain.params, problems: problems?.join("; ") ?? "" });
  if (domain instanceof TooManyRequests) c.header("Retry-After", String(domain.retryAfterSeconds));
  if (domain.code === "database_unavailable")
    c.header("Retry-After", String(unavailableRetryAfterSeconds));
  return c.json(
    { error: { code: domain.code, message, ...(details ? { details } : {}) } },
    domain.status as ContentfulStatusCode,
  );
}
