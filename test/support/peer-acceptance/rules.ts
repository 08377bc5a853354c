/**
 * What the peer-acceptance checks share: reading JSON the way the peers do (a value or a list,
 * an id or an object), and a rulebook that notes each broken rule with where the peer states it.
 */
export type Json = Record<string, any>;

/** What a peer reads a document as, and how it got it. */
export interface Seen {
  as:
    | "actor"
    | "object"
    | "activity"
    | "outbox"
    | "person-outbox"
    | "followers"
    | "featured"
    | "moderators"
    | "collection";
  /** Where it was fetched from; absent for what arrived in an activity. */
  url?: string;
  /** Every document the server served, by URL, as a peer fetching it would get it. */
  served: ReadonlyMap<string, Json>;
}

export const publicAddress = "https://www.w3.org/ns/activitystreams#Public";

export const asArray = (value: unknown): unknown[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];

export const idOf = (value: unknown): string | undefined =>
  typeof value === "string"
    ? value
    : isObject(value) && typeof value.id === "string"
      ? value.id
      : undefined;

export const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const isUrl = (value: unknown): value is string =>
  typeof value === "string" && /^https?:\/\//.test(value) && URL.canParse(value);

export const isDate = (value: unknown) =>
  typeof value === "string" && !Number.isNaN(Date.parse(value));

export const hostOf = (url: string) => new URL(url).host;
export const hostnameOf = (url: string) => new URL(url).hostname;

/** The document a peer gets when it fetches `url` (HTTP never sends the fragment). */
export function fetched(seen: Seen, url: string): Json | undefined {
  return seen.served.get(url.split("#")[0] ?? url);
}

/** The Group among the addresses of a document, as its server serves it. */
export function groupAddressed(seen: Seen, document: Json): Json | undefined {
  return [...asArray(document.to), ...asArray(document.cc), document.audience]
    .map((address) => (typeof address === "string" ? fetched(seen, address) : undefined))
    .find((candidate) => candidate?.type === "Group");
}

/** The problems of one document: each names the peer, the source file and the rule broken. */
export function rulebook(peer: string) {
  const found: string[] = [];
  return {
    found,
    rule(holds: boolean, where: string, what: string) {
      if (!holds) found.push(`${peer} ${where}: ${what}`);
    },
  };
}

export type Rule = ReturnType<typeof rulebook>["rule"];
