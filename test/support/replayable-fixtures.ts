import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fixtures } from "./fake-peer.ts";
import { contexts } from "./raw-peer.ts";

/**
 * The peer fixtures (../shared/fixtures/peers) that are activities or objects, moved onto one
 * test server so that they can be replayed into a community: every id, actor and link of the
 * fixture's own servers lives on that server, whoever it addressed is the community, and what
 * it answers or reacts to is a thread there.
 */

type Json = Record<string, any>;

/** A fixture ready to be signed by its actor and posted to the community's inbox. */
export interface Replay {
  /** Its path under the fixtures folder, e.g. `lemmy/activities/voting/like_note.json`. */
  file: string;
  /** The software that wrote it: its folder. */
  server: string;
  activity: Json;
  /** The name (on the test server, `/users/{name}`) of every actor it names; the first signs. */
  actors: string[];
  /** Every object it carries, to be served by id: pathname on the test server, document. */
  documents: [string, Json][];
  /**
   * What must have happened first for it to mean something: the like it undoes, the post it
   * edits or deletes.
   */
  before: Json[];
}

/** Where the replay happens: the test server's origin, the community and a thread in it. */
export interface Stage {
  origin: string;
  group: string;
  thread: string;
}

const actorTypes = new Set(["Person", "Group", "Service", "Application", "Organization", "Feed"]);
const collectionTypes = new Set([
  "Collection",
  "OrderedCollection",
  "CollectionPage",
  "OrderedCollectionPage",
  "Conversation",
]);
/** Activities whose object is something written, which here is the thread. */
const aboutWriting = new Set([
  "Like",
  "Dislike",
  "EmojiReact",
  "Announce",
  "Flag",
  "Lock",
  "ApproveReply",
  "RejectReply",
  "Add",
  "Remove",
]);
/** Activities whose object is whom they address, which here is the community. */
const aboutRecipient = new Set(["Follow", "Join", "Leave"]);
const addressing = ["to", "cc", "bto", "bcc", "audience"];
const publicAddresses = new Set([
  "https://www.w3.org/ns/activitystreams#Public",
  "as:Public",
  "Public",
]);
/** Vocabulary hosts: their URLs name terms, not things on a fixture's servers. */
const vocabularies = /^https?:\/\/(www\.w3\.org|w3id\.org|schema\.org|purl\.org)\//;

const typesOf = (value: Json): string[] => [value.type].flat().filter((t) => typeof t === "string");
/** What people write and share; Pleroma's and Mobilizon's carry an `actor` too. */
const objectTypes = new Set([
  "Note",
  "Article",
  "Page",
  "Question",
  "Event",
  "Video",
  "Audio",
  "Image",
  "Document",
  "ChatMessage",
  "Tombstone",
  "Place",
  "Object",
]);
/** An activity, or a bare object (which is delivered in a Create). */
const isActivity = (value: Json) =>
  !typesOf(value).some((type) => objectTypes.has(type)) && ("actor" in value || "object" in value);
const idOf = (value: any): string | undefined =>
  typeof value === "string" ? value : typeof value?.id === "string" ? value.id : undefined;
const isAddress = (value: unknown): value is string =>
  typeof value === "string" && /^https?:\/\//.test(value) && !vocabularies.test(value);
/** A person's address by its shape, for the fixtures that report or promote people by id. */
const looksLikeActor = (url: string) =>
  /^\/(u|users?|people|profile|accounts|actor|@)/.test(new URL(url).pathname);
const isCollectionAddress = (url: string) => /\/(followers|following)(\/|$)/.test(url);

/** Calls `visit` on every object inside `value` (itself included), outside `@context`. */
function eachObject(value: unknown, visit: (object: Json) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) eachObject(item, visit);
    return;
  }
  if (value === null || typeof value !== "object") return;
  visit(value as Json);
  for (const [key, item] of Object.entries(value)) if (key !== "@context") eachObject(item, visit);
}

/** Mbin scrubs ids and dates from its snapshots; each scrubbed id becomes one of its own. */
function unscrubbed(document: Json): Json {
  let n = 0;
  return JSON.parse(JSON.stringify(document), (_, value) =>
    value === "SCRUBBED_ID"
      ? `https://kbin.test/scrubbed/${++n}`
      : value === "SCRUBBED_DATE"
        ? "2024-01-01T00:00:00Z"
        : value,
  );
}

/** A bare object as its author would deliver it: in a Create by them. */
function createdByAuthor(object: Json, n: number): Json {
  const { "@context": context, ...rest } = object;
  // Pleroma's and PeerTube's objects name their actor too.
  const author =
    idOf([object.attributedTo].flat()[0]) ??
    idOf(object.actor) ??
    "https://replay.invalid/users/nobody";
  const id = rest.id ?? `https://replay.invalid/objects/${n}`;
  return {
    "@context": context ?? contexts,
    id: `${id}#create`,
    type: "Create",
    actor: author,
    ...(rest.to ? { to: rest.to } : {}),
    ...(rest.cc ? { cc: rest.cc } : {}),
    object: { ...rest, id },
  };
}

/** Everything in `activity` that names an actor: its actors, authors and actor documents. */
function actorsIn(activity: Json): string[] {
  const found = new Set<string>();
  eachObject(activity, (object) => {
    for (const key of ["actor", "attributedTo"]) {
      for (const item of [object[key]].flat()) {
        const id = idOf(item);
        if (isAddress(id)) found.add(id);
      }
    }
    if (typesOf(object).some((type) => actorTypes.has(type)) && isAddress(object.id)) {
      found.add(object.id);
    }
  });
  return [...found];
}

/** Whom `activity` addresses (or follows, joins, leaves) other than the public and collections. */
function recipientsIn(activity: Json, actors: Set<string>): Set<string> {
  const found = new Set<string>();
  const note = (value: unknown) => {
    const id = idOf(value);
    if (isAddress(id) && !actors.has(id) && !publicAddresses.has(id) && !isCollectionAddress(id))
      found.add(id);
  };
  eachObject(activity, (object) => {
    for (const key of addressing) [object[key]].flat().forEach(note);
    if (typesOf(object).some((type) => aboutRecipient.has(type))) note(object.object);
  });
  return found;
}

function definedIdsIn(activity: Json): Set<string> {
  const found = new Set<string>();
  eachObject(activity, (object) => {
    if (typeof object.id === "string") found.add(object.id);
  });
  return found;
}

/** The fixture moved onto the stage: see the module's comment for what goes where. */
export function staged(file: string, document: Json, n: number, stage: Stage): Replay | null {
  const types = typesOf(document);
  if (types.length === 0 || types.some((t) => actorTypes.has(t) || collectionTypes.has(t))) {
    return null;
  }
  const source = unscrubbed(document);
  const wrapped = isActivity(source) ? source : createdByAuthor(source, n);
  const activity = { "@context": wrapped["@context"] ?? contexts, ...wrapped };
  const actors = actorsIn(activity);
  const actorSet = new Set(actors);
  const recipients = recipientsIn(activity, actorSet);
  const defined = definedIdsIn(activity);
  const names = new Map(
    actors.map((url, k) => {
      const last = new URL(url).pathname.split("/").filter(Boolean).pop() ?? "actor";
      return [url, `f${n}a${k}_${last.replace(/[^A-Za-z0-9_]/g, "").slice(0, 30)}`];
    }),
  );
  const moved = (url: string) => {
    const name = names.get(url);
    if (name) return `${stage.origin}/users/${name}`;
    const { host, pathname, search, hash } = new URL(url);
    return `${stage.origin}/f${n}/${host}${pathname}${search}${hash}`;
  };
  /** What `value`, found under `key` of an object of `types`, becomes on the stage. */
  const placed = (value: string, key: string, types: string[]): string => {
    const elsewhere = !defined.has(value) && !actorSet.has(value);
    // WordPress's fixtures answer a placeholder, `{{LOCAL_POST_URL}}`.
    if (key === "inReplyTo" && elsewhere) return stage.thread;
    if (!isAddress(value)) return value;
    const aboutThread = types.some((type) => aboutWriting.has(type));
    if (key === "object" && aboutThread && elsewhere && !looksLikeActor(value)) return stage.thread;
    if (recipients.has(value) && key !== "actor" && key !== "attributedTo") return stage.group;
    return moved(value);
  };
  const rewrite = (value: unknown, key: string, types: string[]): unknown => {
    if (typeof value === "string") return placed(value, key, types);
    if (Array.isArray(value)) return value.map((item) => rewrite(item, key, types));
    if (value === null || typeof value !== "object") return value;
    const inner = typesOf(value as Json);
    return Object.fromEntries(
      Object.entries(value).map(([k, item]) => [
        k,
        k === "@context" ? item : rewrite(item, k === "id" ? key : k, inner),
      ]),
    );
  };
  const replayed = rewrite(activity, "", []) as Json;
  addressTo(replayed, stage.group);
  return {
    file,
    server: file.split("/")[0] ?? file,
    activity: replayed,
    actors: actors.map((url) => names.get(url) ?? ""),
    documents: documentsIn(replayed, stage),
    before: prerequisitesOf(replayed, stage),
  };
}

/**
 * See `Replay.before`. A fixture does not carry what its Delete deleted: a reply by the same
 * author stands in for it.
 */
function prerequisitesOf(activity: Json, stage: Stage): Json[] {
  const { "@context": context, actor, object } = activity;
  const types = typesOf(activity);
  const created = (written: Json) => ({
    "@context": context,
    id: `${written.id}#created`,
    type: "Create",
    actor,
    to: written.to ?? activity.to,
    cc: written.cc ?? activity.cc,
    object: written,
  });
  if (types.includes("Undo") && typeof object === "object" && object !== null) {
    return typesOf(object).some((type) => type === "Like" || type === "Dislike")
      ? [{ "@context": context, ...object }]
      : [];
  }
  if (
    types.includes("Update") &&
    isWriting(object) &&
    !typesOf(object).some((type) => actorTypes.has(type))
  ) {
    return typeof object.id === "string" ? [created(object)] : [];
  }
  const deleted = idOf(object);
  if (types.includes("Delete") && deleted?.startsWith(`${stage.origin}/f`)) {
    return [
      created({
        id: deleted,
        type: "Note",
        attributedTo: actor,
        inReplyTo: stage.thread,
        content: "<p>Soon deleted.</p>",
        to: ["https://www.w3.org/ns/activitystreams#Public"],
        cc: [stage.group],
      }),
    ];
  }
  return [];
}

/** Adds the community to what addresses no one here, as a mention of it would. */
function addressTo(activity: Json, group: string) {
  const targets = [activity, ...(isWriting(activity.object) ? [activity.object] : [])];
  for (const target of targets) {
    const named = addressing.some((key) => [target[key]].flat().includes(group));
    if (!named) target.cc = [...[target.cc ?? []].flat(), group];
  }
}

const isWriting = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value) && !isActivity(value);

/** The objects carried inside the activity (itself included), by pathname on the stage. */
function documentsIn(activity: Json, stage: Stage): [string, Json][] {
  const found: [string, Json][] = [];
  eachObject(activity, (object) => {
    const id = object.id;
    if (typeof id !== "string" || !id.startsWith(`${stage.origin}/f`)) return;
    if (typesOf(object).length === 0) return;
    found.push([new URL(id).pathname, { "@context": activity["@context"], ...object }]);
  });
  return found;
}

/** Every JSON fixture file, by its path under the fixtures folder, in a stable order. */
export function fixtureFiles(): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".json")) found.push(relative(fixtures, path));
    }
  };
  walk(fixtures);
  return found.sort();
}
