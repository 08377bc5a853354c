import type { Context, Federation } from "@fedify/fedify";
import { Object as APObject, Application, Collection, CollectionPage, Group } from "@fedify/vocab";
import type { DocumentLoader } from "@fedify/vocab-runtime";
import { getLogger } from "@logtape/logtape";
import { DomainError } from "../server/errors.ts";
import { listDirectory } from "../server/services/communities.ts";
import { hideCopies, shownCopiesOf } from "../server/services/network-directory.ts";
import { canSeeCommunity } from "../server/services/privacy.ts";
import { refreshCommunity } from "./actor-copies.ts";
import { instanceIdentifier } from "./actors.ts";
import type { FederationContext } from "./context.ts";
import { lookupActor } from "./lookup.ts";

/*
 * The network directory between servers. Each instance publishes its listed communities as an
 * ordered collection of Group ids, a stream of its instance actor (`streams` on the
 * Application): ids only, so a page of 50 stays a few KB, and every entry is read from the
 * community's own Group, the one document that may say what it is. A partner's entry thus
 * becomes the same copy a look-up by handle makes, joined the same way.
 */

const logger = getLogger(["praxis", "federation", "directory"]);

type Ctx = Context<FederationContext>;

export const directoryPath = "/actors/{identifier}/directory";
const pageLength = 50;

/** A partner's directory is read up to this many communities, over at most this many pages. */
const maxListed = 500;
const maxPages = 20;
/** Each fetch is bounded by REMOTE_TIMEOUT_SECONDS; a whole reading by this. */
const readingTimeMs = 60_000;

/** The ids of this instance's listed communities, a page from `cursor` ("" for the first). */
async function publishedPage(ctx: Ctx, cursor: string) {
  try {
    return await listDirectory(ctx.data.deps, null, {
      limit: pageLength,
      cursor: cursor || undefined,
      onlyHere: true,
    });
  } catch (error) {
    // A cursor no page of ours gave names no page.
    if (error instanceof DomainError && error.code === "invalid_input") return null;
    throw error;
  }
}

export function registerDirectory(federation: Federation<FederationContext>): void {
  federation
    .setOrderedCollectionDispatcher(
      "directory",
      Group,
      directoryPath,
      async (ctx, { identifier }, cursor) => {
        if (identifier !== instanceIdentifier) return null;
        const page = await publishedPage(ctx, cursor ?? "");
        if (!page) return null;
        const ids = page.items.map(({ community }) =>
          ctx.getActorUri(community.slug.toLowerCase()),
        );
        // Fedify writes URLs among a collection's items as bare ids (filterCollectionItems);
        // its types only name objects.
        return { items: ids as unknown as Group[], nextCursor: page.next };
      },
    )
    .setFirstCursor(() => "");
}

/** Why a partner's directory was not taken, as the log line says it. */
class UnreadableDirectory extends Error {}

interface Reading {
  ctx: Ctx;
  host: string;
  /** The partner's origin, as its instance actor's id has it: entries must be on it. */
  origin: string;
  documentLoader: DocumentLoader;
  deadline: number;
}

async function objectAt(reading: Reading, url: URL): Promise<APObject> {
  if (url.origin !== reading.origin) {
    throw new UnreadableDirectory(`it leads to ${url.href}, on another server`);
  }
  const { documentLoader, ctx } = reading;
  const { document } = await documentLoader(url.href);
  return APObject.fromJsonLd(document, { documentLoader, contextLoader: ctx.contextLoader });
}

async function collectionAt(reading: Reading, url: URL): Promise<Collection> {
  const object = await objectAt(reading, url);
  if (!(object instanceof Collection))
    throw new UnreadableDirectory(`${url.href} is no collection`);
  return object;
}

/**
 * The partner's own instance actor, found as `host@host`, the handle GoToSocial gives a
 * server's actor (internal/federation/dereferencing/account.go) and Praxis answers too.
 */
async function instanceActorOf(ctx: Ctx, host: string): Promise<Application> {
  const actor = await lookupActor(ctx, new URL(`http://${host}`).hostname, host);
  if (!(actor instanceof Application) || actor.id?.host.toLowerCase() !== host) {
    throw new UnreadableDirectory("it has no instance actor of its own that answers");
  }
  return actor;
}

/**
 * The community ids a directory lists on its own server, page by page, within the bounds;
 * `complete` says whether it was read to its end.
 */
async function listedIds(
  reading: Reading,
  directory: URL,
): Promise<{ ids: URL[]; complete: boolean }> {
  const { host, origin } = reading;
  const collection = await collectionAt(reading, directory);
  let page = collection.firstId ? await collectionAt(reading, collection.firstId) : collection;
  const ids = new Map<string, URL>();
  const foreign: string[] = [];
  const asked = new Set([directory.href]);
  let truncated = false;
  for (;;) {
    for (const id of page.itemIds) {
      if (id.origin === origin) ids.set(id.href, id);
      else foreign.push(id.href);
    }
    const next = page instanceof CollectionPage ? page.nextId : null;
    // A page that leads back to one already read ends the directory, as its last page would.
    if (!next || asked.has(next.href)) break;
    if (ids.size >= maxListed || asked.size >= maxPages) {
      truncated = true;
      break;
    }
    asked.add(next.href);
    page = await collectionAt(reading, next);
  }
  if (foreign.length > 0) {
    logger.warn(
      "The directory of {host} lists communities of other servers ({count}, such as {example}): ignored",
      { host, count: foreign.length, example: foreign[0] },
    );
  }
  truncated ||= ids.size > maxListed;
  if (truncated) {
    logger.warn(
      "The directory of {host} is longer than {maxListed} communities or {maxPages} pages: read that far",
      { host, maxListed, maxPages },
    );
  }
  return { ids: [...ids.values()].slice(0, maxListed), complete: !truncated };
}

/** Keeps a copy of each listed community; answers the ids of those shown in the directory. */
async function keepListed(reading: Reading, ids: URL[]): Promise<Set<string> | null> {
  const { ctx, host } = reading;
  const shown = new Set<string>();
  const hidden: string[] = [];
  const unreadable: string[] = [];
  for (const id of ids) {
    if (Date.now() > reading.deadline) return null;
    const copy = await refreshCommunity(ctx, id);
    if (!copy) unreadable.push(id.href);
    else if (!canSeeCommunity(copy, null)) hidden.push(id.href);
    else shown.add(copy.id);
  }
  if (hidden.length > 0) {
    logger.warn(
      "The directory of {host} lists hidden communities ({count}, such as {example}): not shown",
      { host, count: hidden.length, example: hidden[0] },
    );
  }
  if (unreadable.length > 0) {
    logger.warn(
      "The directory of {host} lists communities whose Group could not be read ({count}, such as {example}): not shown",
      { host, count: unreadable.length, example: unreadable[0] },
    );
  }
  return shown;
}

/**
 * Copies of the partner's communities it no longer lists are read again: one made hidden
 * answers this server as an unknown name does, and is hidden here too.
 */
async function reviewUnlisted(reading: Reading, shown: Set<string>): Promise<void> {
  const { ctx, host } = reading;
  const { db } = ctx.data.deps;
  const gone: string[] = [];
  for (const copy of await shownCopiesOf(db, host)) {
    if (shown.has(copy.id) || !copy.uri) continue;
    if (Date.now() > reading.deadline) break;
    if (!(await refreshCommunity(ctx, new URL(copy.uri)))) gone.push(copy.id);
  }
  await hideCopies(db, gone);
  if (gone.length > 0) {
    logger.info("{count} communities of {host} are no longer listed nor shown there: hidden here", {
      count: gone.length,
      host,
    });
  }
}

/**
 * Reads the directory a partner publishes, as this server (a signed fetch through the strict
 * document loader), and keeps a copy of every listed community on the partner's own server.
 * Whatever is malformed, too large, too slow, hidden or of another server is left out with a
 * log line; nothing a partner serves makes this throw.
 */
export async function readPartnerDirectory(ctx: Ctx, host: string): Promise<number | null> {
  try {
    const instance = await instanceActorOf(ctx, host);
    const origin = instance.id?.origin ?? "";
    const directory = instance.streamIds.find((stream) => stream.origin === origin);
    if (!directory) throw new UnreadableDirectory("its instance actor names no directory");
    const reading: Reading = {
      ctx,
      host,
      origin,
      documentLoader: await ctx.getDocumentLoader({ identifier: instanceIdentifier }),
      deadline: Date.now() + readingTimeMs,
    };
    const { ids, complete } = await listedIds(reading, directory);
    const shown = await keepListed(reading, ids);
    if (!shown) {
      logger.warn("Reading the directory of {host} took over {seconds} s: stopped", {
        host,
        seconds: readingTimeMs / 1000,
      });
      return null;
    }
    if (complete) await reviewUnlisted(reading, shown);
    return shown.size;
  } catch (error) {
    logger.warn("Ignored the directory of {host}: {reason}", {
      host,
      reason: error instanceof Error ? error.message : String(error),
    });
    return null;
  }
}
