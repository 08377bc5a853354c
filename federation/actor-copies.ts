import type { Context } from "@fedify/fedify";
import { type Actor, Object as APObject, Group, isActor } from "@fedify/vocab";
import type { DocumentLoader } from "@fedify/vocab-runtime";
import type { Account } from "../db/schema/accounts.ts";
import type { Community } from "../db/schema/communities.ts";
import { aLocalMemberOf } from "../server/services/membership.ts";
import { instanceIdentifier } from "./actors.ts";
import type { FederationContext } from "./context.ts";
import { readGroupTerms, readPersonTerms } from "./praxis-terms.ts";
import { findRemoteCommunity, rememberAccount, rememberCommunity } from "./remote-actors.ts";

type Ctx = Context<FederationContext>;

/**
 * An actor on another server read from its own document, fetched now as this server (never
 * from a copy an activity carries, nor from the cache): the actor, and the raw document for
 * the terms Fedify does not read.
 */
async function fetchActor(
  ctx: Ctx,
  id: URL,
  documentLoader: DocumentLoader,
): Promise<{ actor: Actor; document: unknown } | null> {
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

/**
 * How this server reads a community elsewhere: as one of its members here, when it has one,
 * since a members-only or hidden community answers only its members; else as itself.
 */
export async function readerFor(ctx: Ctx, community: Community | null): Promise<DocumentLoader> {
  const member = community ? await aLocalMemberOf(ctx.data.deps.db, community.id) : null;
  return ctx.getDocumentLoader({
    identifier: member?.username.toLowerCase() ?? instanceIdentifier,
  });
}

/**
 * Re-reads a community on another server and keeps what its home says of it; `as` names the
 * local person to ask as (one it just invited), else one of its members or the server.
 */
export async function refreshCommunity(ctx: Ctx, id: URL, as?: Account): Promise<Community | null> {
  const loader = as
    ? await ctx.getDocumentLoader({ identifier: as.username.toLowerCase() })
    : await readerFor(ctx, await findRemoteCommunity(ctx.data.deps, id.href));
  const fetched = await fetchActor(ctx, id, loader);
  if (!(fetched?.actor instanceof Group)) return null;
  return rememberCommunity(ctx.data.deps, fetched.actor, readGroupTerms(fetched.document));
}

/** Re-reads a person on another server, with the profile a Praxis server gives. */
export async function refreshAccount(ctx: Ctx, id: URL): Promise<Account | null> {
  const loader = await ctx.getDocumentLoader({ identifier: instanceIdentifier });
  const fetched = await fetchActor(ctx, id, loader);
  if (!fetched) return null;
  return rememberAccount(ctx.data.deps, fetched.actor, readPersonTerms(fetched.document));
}
