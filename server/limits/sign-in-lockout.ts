import type { Deps } from "../deps.ts";
import { counter } from "./counters.ts";

/** How long a run of failures is remembered when no sign-in succeeds to end it. */
const failureMemory = { points: 1, durationSeconds: 24 * 3600 };

function failures(deps: Deps) {
  return counter(deps, "sign-in-failures", failureMemory, "sign_in_locked");
}

function locks(deps: Deps) {
  const { maxSeconds } = deps.config.signInLockout;
  return counter(
    deps,
    "sign-in-lock",
    { points: 1, durationSeconds: maxSeconds },
    "sign_in_locked",
  );
}

/**
 * Failed sign-ins are counted per account (or per login, when no account has it, so that a
 * pause tells nothing about who exists) and per client: someone guessing from elsewhere
 * does not pause the owner, who can always sign in from their own device, and whose own
 * pause ends by itself. Each failure past the allowance doubles the pause.
 */
function attemptKey(who: string, client: string): string {
  return `${who}|${client}`;
}

/** Refuses while a pause earned by failures is running, before any password is checked. */
export async function assertSignInNotPaused(deps: Deps, who: string, client: string) {
  await locks(deps).check(attemptKey(who, client));
}

export async function recordFailedSignIn(deps: Deps, who: string, client: string) {
  const key = attemptKey(who, client);
  const { failuresBefore, firstSeconds, maxSeconds } = deps.config.signInLockout;
  const inARow = await failures(deps).add(key);
  if (inARow < failuresBefore) return;
  const doublings = Math.min(inARow - failuresBefore, 30);
  await locks(deps).lock(key, Math.min(maxSeconds, firstSeconds * 2 ** doublings));
}

export async function forgetFailedSignIns(deps: Deps, who: string, client: string) {
  const key = attemptKey(who, client);
  await Promise.all([failures(deps).clear(key), locks(deps).clear(key)]);
}
