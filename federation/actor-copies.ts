import type { Context } from "@fedify/fedify";
import { type Actor, Object as APObject, Group, isActor } from "@fedify/vocab";
import type { Account } from "../db/schema/accounts.ts";
import type { Community } from "../db/schema/communities.ts";
import { instanceIdentifier } from "./actors.ts";
import type { FederationContext } from "./context.ts";
import { readGroupTerms, readPersonTerms } from "./praxis-terms.ts";
import { rememberAccount, rememberCommunity } from "./remote-actors.ts";

type Ctx = Context<FederationContext>;

/**
 * An actor on another server read from its own document, fetched now as this server (never
 * from a copy an activity carries, nor from the cache): the actor, and the raw document for
 * the terms Fedify does not read.
 */
async function fetchActor(ctx: Ctx, id: URL): Promise<{ actor: Actor; document: unknown } | null> {
  const documentLoader = await ctx.getDocumentLoader({ identifier: instanceIdentifier });
  try {
    const { document } = await documentLoader(id.href);
    const actor = await APObject.fromJsonLd(document, {
      documentLoader,
      contextLoader: ctx.contextLoader,
    });
    return isActor(actor) && actor.id?.href === id.href ? { actor, document } : null;
  } catch {
    return null;
  }
}

/** Re-reads a community on another server and keeps what its home says of it. */
export async function refreshCommunity(ctx: Ctx, id: URL): Promise<Community | null> {
  const fetched = await fetchActor(ctx, id);
  if (!(fetched?.actor instanceof Group)) return null;
  return rememberCommunity(ctx.data.deps, fetched.actor, readGroupTerms(fetched.document));
}

/** Re-reads a person on another server, with the profile a Praxis server gives. */
export async function refreshAccount(ctx: Ctx, id: URL): Promise<Account | null> {
  const fetched = await fetchActor(ctx, id);
  if (!fetched) return null;
  return rememberAccount(ctx.data.deps, fetched.actor, readPersonTerms(fetched.document));
}
