/** Where actors live; Fedify routes this template and the API and mails link to it. */
export const actorPathTemplate = "/actors/{identifier}";

/** The ActivityPub id of a local account or community, which is also its page for browsers. */
export function actorUrl(publicUrl: URL, name: string): string {
  return new URL(
    actorPathTemplate.replace("{identifier}", encodeURIComponent(name.toLowerCase())),
    publicUrl,
  ).href;
}

interface ActorName {
  domain: string | null;
  uri: string | null;
}

/**
 * `@name@host` for an account or community, here or on another server; an account whose
 * server has another actor holding that name here is shown by its id, which names it alone.
 */
export function handleOf(
  publicUrl: URL,
  name: string,
  actor: Pick<ActorName, "domain"> & Partial<ActorName> & { holdsHandle?: boolean },
): string {
  if (actor.holdsHandle === false && actor.uri) return actor.uri;
  return `@${name}@${actor.domain ?? publicUrl.host}`;
}

/** How the API names a community: its slug here, `slug@host` when it lives elsewhere. */
export function refOf(community: { slug: string; domain: string | null }): string {
  return community.domain ? `${community.slug}@${community.domain}` : community.slug;
}

/** The ActivityPub id of an account or community, here or elsewhere. */
export function actorUriOf(publicUrl: URL, name: string, actor: ActorName): string {
  return actor.uri ?? actorUrl(publicUrl, name);
}
