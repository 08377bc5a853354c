import { hash, verify } from "@node-rs/argon2";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";

// argon2id (the library's default algorithm) at OWASP's baseline: 19 MiB, 2 passes, 1 lane.
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

let estimator: ZxcvbnFactory | undefined;

/**
 * zxcvbn-ts, with its common-password and English dictionaries. Its feedback is left as
 * its keys (no `translations`): locales/<lang>/passwords.json says them in each language.
 * Built on first use, as its dictionaries take a moment to rank. Bounded so that no input
 * costs more than about a tenth of a second: by default 256 characters of digits and
 * symbols (`4$4$4$…`) take 1.7 s, as each may stand for letters (l33t).
 */
function strengthEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    maxLength: 100,
    l33tMaxSubstitutions: 10,
  });
  return estimator;
}

/** `wanjiru_otieno` is tried as itself, as `wanjiru`, `otieno` and `wanjiruotieno`. */
function guessableWords(inputs: string[]): string[] {
  return inputs.flatMap((input) => {
    const pieces = input.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    return [input, ...pieces, pieces.join("")];
  });
}

/** What a person typed about themselves, which a guesser would try first. */
export interface PasswordOwner {
  username: string;
  email: string;
  displayName?: string | undefined;
}

/**
 * Refuses a password that is easy to guess (a zxcvbn score under PASSWORD_MIN_STRENGTH), as
 * NodeBB's `User.isPasswordValid` does (src/user/create.js), saying why and what would help.
 * The person's own name and address, and this server's, count as dictionary words. Every
 * place that sets a password calls this.
 */
export function assertStrongPassword(deps: Deps, password: string, owner: PasswordOwner): void {
  const typed = [owner.username, owner.email, owner.displayName ?? ""];
  const words = guessableWords([...typed, deps.config.publicUrl.hostname].filter(Boolean));
  const result = strengthEstimator().check(password, [...new Set(words)]);
  if (result.score >= deps.config.passwordMinStrength) return;
  throw new DomainError("weak_password", {
    why: result.feedback.warning ?? "guessable",
    how: result.feedback.suggestions[0] ?? "anotherWord",
  });
}
