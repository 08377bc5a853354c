import type { InboxContext } from "@fedify/fedify";
import { Activity, type Object as APObject, getTypeId } from "@fedify/vocab";
import { FetchError } from "@fedify/vocab-runtime";
import { getLogger } from "@logtape/logtape";
import { DomainError } from "../../server/errors.ts";
import type { FederationContext } from "../context.ts";

type Ctx = InboxContext<FederationContext>;

const logger = getLogger(["praxis", "federation", "inbox"]);

/**
 * Says in the log why an activity (or the object it carried) changed nothing here. The inbox
 * answered 202 before a worker read it, so this line is the only account of it there is.
 */
export function ignore(subject: APObject, why: string) {
  logger.info("Ignored {type} {id} from {actor}: {why}", {
    type: getTypeId(subject).href,
    id: subject.id?.href ?? null,
    actor: (subject instanceof Activity ? subject.actorId : subject.attributionId)?.href ?? null,
    why,
  });
}

/** Answers that say "not now" rather than "no": a server busy, slow or down may answer later. */
const passing = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * A document its server will not give (gone, refused, not ActivityPub, not who it claims):
 * asking again would not help.
 */
const isUnreadable = (error: unknown): error is FetchError =>
  error instanceof FetchError && (error.response === undefined || !passing(error.response.status));

/**
 * A listener whose activity ends here whatever it meets: a refusal by the rules, or a document
 * it needs that its server will not give, is logged and not retried. Anything else is a fault
 * here or a server that may answer later, and Fedify retries it.
 */
export function settled<T extends Activity>(
  listener: (ctx: Ctx, activity: T) => Promise<void>,
): (ctx: Ctx, activity: T) => Promise<void> {
  return async (ctx, activity) => {
    try {
      await listener(ctx, activity);
    } catch (error) {
      if (error instanceof DomainError) return ignore(activity, `refused: ${error.code}`);
      if (isUnreadable(error)) {
        return ignore(activity, `could not read ${error.url.href}: ${error.message}`);
      }
      throw error;
    }
  };
}

/** What no other listener takes (Add, Lock, EmojiReact, Move…): nothing here acts on it. */
export const onOtherActivity = async (_ctx: Ctx, activity: Activity) =>
  ignore(activity, "no part of Praxis acts on this type");
