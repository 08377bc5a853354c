import type { Context, MiddlewareHandler } from "hono";
import { type AppEnv, createRouter } from "../api/router.ts";
import type { Config, RateLimit } from "../config.ts";
import type { ErrorCode } from "../errors.ts";
import { clientAddress } from "./client-address.ts";
import { counter } from "./counters.ts";

interface RequestLimit {
  /** The counter's name, the prefix of its keys. */
  name: string;
  limit: (config: Config) => RateLimit;
  code: ErrorCode;
  /** Whom the limit counts: the client's address, or the signed-in account. */
  by: "client" | "account";
  /** Whether a request, once answered with `status`, still counts. */
  keeps: (status: number) => boolean;
}

const done = (status: number) => status < 400;
const failed = (status: number) => status >= 400;

function keyOf(c: Context<AppEnv>, by: RequestLimit["by"]): string | undefined {
  if (by === "account") return c.get("session")?.account.id;
  return clientAddress(c, c.get("deps").config.trustedProxies);
}

/**
 * Counts a request before it runs, so that requests sent all at once are counted as surely
 * as one after another, and gives the count back when it turns out not to count (a refused
 * registration, a successful sign-in). Requests to an account's limit with nobody signed
 * in pass on, to be refused further on.
 */
function limitRequest(rule: RequestLimit): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = keyOf(c, rule.by);
    if (!key) return next();
    const deps = c.get("deps");
    const counted = counter(deps, rule.name, rule.limit(deps.config), rule.code);
    await counted.take(key);
    await next();
    if (!rule.keeps(c.res.status)) await counted.giveBack(key);
  };
}

const signIn = limitRequest({
  name: "sign-in-client",
  limit: (config) => config.rateLimits.signInPerClient,
  code: "too_many_sign_in_attempts",
  by: "client",
  keeps: failed,
});

const registration = limitRequest({
  name: "registration-client",
  limit: (config) => config.rateLimits.registrationsPerClient,
  code: "too_many_registrations",
  by: "client",
  keeps: done,
});

/**
 * Refused registrations are given back above, so that a person can fix a weak password or a
 * taken name; yet each costs the server a strength estimate or a hash, so attempts are
 * limited too, to ten times the accounts allowed.
 */
const registrationAttempt = limitRequest({
  name: "registration-attempt-client",
  limit: (config) => {
    const { points, durationSeconds } = config.rateLimits.registrationsPerClient;
    return { points: points * 10, durationSeconds };
  },
  code: "too_many_registrations",
  by: "client",
  keeps: () => true,
});

/**
 * Each reset request may send a mail, so that a client may ask a few times an hour and no
 * more (every request counts: the answer must not say which addresses exist).
 */
const passwordReset = limitRequest({
  name: "password-reset-client",
  limit: (config) => config.rateLimits.passwordResetsPerClient,
  code: "too_many_password_resets",
  by: "client",
  keeps: () => true,
});

const invitation = limitRequest({
  name: "invitation-account",
  limit: (config) => config.rateLimits.invitationsPerAccount,
  code: "too_many_invitations",
  by: "account",
  keeps: done,
});

const write = limitRequest({
  name: "write-account",
  limit: (config) => config.rateLimits.writesPerAccount,
  code: "too_many_writes",
  by: "account",
  keeps: done,
});

const upload = limitRequest({
  name: "upload-account",
  limit: (config) => config.rateLimits.uploadsPerAccount,
  code: "too_many_uploads",
  by: "account",
  keeps: done,
});

/**
 * Each report notifies every moderator and may go to other servers: a few an hour is plenty,
 * whatever is reported.
 */
const report = limitRequest({
  name: "report-account",
  limit: (config) => config.rateLimits.reportsPerAccount,
  code: "too_many_reports",
  by: "account",
  keeps: done,
});

/**
 * The API's limits, routed ahead of the routes they guard (mounted first, after the
 * session is known). Posts of every kind, events and comments share one limit of writes.
 */
export const requestLimits = createRouter()
  .on("POST", "/sessions", signIn)
  .on("POST", "/accounts", registrationAttempt, registration)
  .on("POST", "/password-resets", passwordReset)
  .on("POST", ["/communities/:ref/invitations", "/admin/invitations"], invitation)
  .on(
    "POST",
    [
      "/communities/:ref/:kind{discussions|announcements|pages|events}",
      "/posts/:id/comments",
      "/conversations",
      "/conversations/:id/messages",
    ],
    write,
  )
  .on("POST", "/communities/:ref/files", upload)
  .on("PUT", ["/me/avatar", "/communities/:ref/banner"], upload)
  .on(
    "POST",
    [
      "/posts/:id/reports",
      "/comments/:id/reports",
      "/messages/:id/reports",
      "/accounts/:id/reports",
    ],
    report,
  );
