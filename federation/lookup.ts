import type { Context } from "@fedify/fedify";
import { type Actor, isActor } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { instanceIdentifier } from "./actors.ts";
import type { FederationContext } from "./context.ts";

const logger = getLogger(["praxis", "federation", "lookup"]);

async function lookupActorAt(ctx: Context<FederationContext>, id: string | URL) {
  try {
    const documentLoader = await ctx.getDocumentLoader({ identifier: instanceIdentifier });
    const found = await ctx.lookupObject(id, { documentLoader });
    return found && isActor(found) ? found : null;
  } catch (error) {
    logger.debug("Could not look up {id}: {error}", { id: id.toString(), error });
    return null;
  }
}

/**
 * Fedify asks WebFinger over https only. A network of local test or partner instances
 * (ALLOW_PRIVATE_ADDRESSES) may serve plain http, so there the http form is tried too.
 */
async function actorIdOverHttp(name: string, host: string): Promise<URL | null> {
  const url = new URL(`http://${host}/.well-known/webfinger`);
  url.searchParams.set("resource", `acct:${name}@${host}`);
  try {
    const response = await fetch(url, {
      headers: { accept: "application/jrd+json" },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) return null;
    const descriptor = (await response.json()) as {
      links?: { rel?: string; type?: string; href?: string }[];
    };
    const self = descriptor.links?.find(
      (link) => link.rel === "self" && link.type === "application/activity+json",
    );
    return self?.href ? new URL(self.href) : null;
  } catch (error) {
    logger.debug("WebFinger {url} failed: {error}", { url: url.href, error });
    return null;
  }
}

/** Finds the actor named `name@host` on its server; null when there is none or it is down. */
export async function lookupActor(
  ctx: Context<FederationContext>,
  name: string,
  host: string,
): Promise<Actor | null> {
  const actor = await lookupActorAt(ctx, `acct:${name}@${host}`);
  if (actor || !ctx.data.deps.config.allowPrivateAddresses) return actor;
  const id = await actorIdOverHttp(name, host);
  return id ? lookupActorAt(ctx, id) : null;
}
