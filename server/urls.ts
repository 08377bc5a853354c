/** Where actors live; Fedify routes this template and the API and mails link to it. */
export const actorPathTemplate = "/actors/{identifier}";

/** The ActivityPub id of a local account or community, which is also its page for browsers. */
export function actorUrl(publicUrl: URL, name: string): string {
  return new URL(
    actorPathTemplate.replace("{identifier}", encodeURIComponent(name.toLowerCase())),
    publicUrl,
  ).href;
}
