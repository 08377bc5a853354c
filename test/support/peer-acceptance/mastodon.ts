/**
 * What Mastodon (mastodon/mastodon, main) keeps of what it fetches or is sent, ported from
 * its JSON-LD helper, activity handlers and fetch services. Paths are under app/.
 */
import {
  asArray,
  fetched,
  hostnameOf,
  idOf,
  isObject,
  isUrl,
  type Json,
  publicAddress,
  type Rule,
  rulebook,
  type Seen,
} from "./rules.ts";

const jsonld = "helpers/jsonld_helper.rb";
const activity = "lib/activitypub/activity.rb";
// SUPPORTED_TYPES and CONVERTED_TYPES in activity.rb: everything else is no status.
const statusTypes = ["Note", "Question", "Image", "Audio", "Video", "Article", "Page", "Event"];

const contextRule = (rule: Rule, document: Json) =>
  rule(
    asArray(document["@context"]).includes("https://www.w3.org/ns/activitystreams"),
    `${jsonld} supported_context?`,
    "@context must include the ActivityStreams context",
  );

/** fetch_resource: a fetched document counts only when its id is the URL asked for. */
const fetchedIdRule = (rule: Rule, document: Json, url: string) =>
  rule(
    document.id === url,
    `${jsonld} fetch_resource`,
    `fetched ${url} but its id is ${document.id}`,
  );

/** ProcessAccountService / FetchRemoteActorService on an actor it fetched. */
function actorRules(rule: Rule, actor: Json, seen: Seen) {
  const where = "services/activitypub/process_account_service.rb";
  contextRule(rule, actor);
  if (seen.url) fetchedIdRule(rule, actor, seen.url);
  rule(isUrl(actor.inbox), `${where} call`, "an actor without an inbox is dropped");
  rule(
    typeof actor.preferredUsername === "string" && actor.preferredUsername !== "",
    "services/activitypub/fetch_remote_actor_service.rb call",
    "an actor without a preferredUsername has no account name",
  );
  const key = asArray(actor.publicKey)[0];
  rule(
    isObject(key) && typeof key.publicKeyPem === "string",
    `${where} public_key`,
    "needs a publicKey with its publicKeyPem",
  );
  const fields = asArray(actor.attachment).filter(
    (each) => isObject(each) && each.type === "PropertyValue",
  );
  rule(
    fields.length === 0 || Array.isArray(actor.attachment),
    `${where} property_values`,
    "profile fields are read only from an attachment array",
  );
}

/** A status fetched by its id, as FetchRemoteStatusService takes one. */
function statusRules(rule: Rule, status: Json, url: string | undefined) {
  const where = "services/activitypub/fetch_remote_status_service.rb";
  contextRule(rule, status);
  if (url) fetchedIdRule(rule, status, url);
  rule(
    statusTypes.includes(status.type),
    `${where} expected_object_type?`,
    `a ${status.type} is no status Mastodon shows`,
  );
  const author = idOf(asArray(status.attributedTo)[0]);
  rule(
    isUrl(author) && isUrl(status.id) && hostnameOf(author) === hostnameOf(status.id),
    `${where} trustworthy_attribution?`,
    "its first attributedTo must be on its own host",
  );
}

/**
 * Status#distributable?: public (the public in `to`) or unlisted (in `cc`), as
 * visibility_from_audience (lib/activitypub/activity/create.rb) reads the addresses.
 */
const isDistributable = (status: Json) =>
  [...asArray(status.to), ...asArray(status.cc)].map(idOf).includes(publicAddress);

function announceRules(rule: Rule, announce: Json, seen: Seen) {
  const where = "lib/activitypub/activity/announce.rb";
  const object = announce.object;
  const uri = idOf(object);
  rule(isUrl(uri), where, "object must be a status or its id");
  if (!uri) return;
  // status_from_object: an embedded status by the announcer itself is taken as is; anything
  // else is fetched by its id.
  const selfBoost =
    isObject(object) &&
    statusTypes.includes(object.type) &&
    idOf(asArray(object.attributedTo)[0]) === announce.actor;
  const status = selfBoost ? object : fetched(seen, uri);
  rule(
    status !== undefined,
    `${activity} fetch_remote_original_status`,
    `${uri} cannot be fetched`,
  );
  if (!status) return;
  if (!selfBoost) statusRules(rule, status, uri);
  rule(
    isDistributable(status),
    `${where} announceable?`,
    `a boost of ${status.id}, neither public nor unlisted, is dropped`,
  );
}

function createRules(rule: Rule, create: Json) {
  const where = "lib/activitypub/activity/create.rb create_status";
  const object = isObject(create.object) ? create.object : undefined;
  rule(
    object !== undefined && statusTypes.includes(object.type),
    `${where} (unsupported_object_type?)`,
    `a ${object?.type} is no status Mastodon shows`,
  );
  rule(
    isUrl(object?.id) && isUrl(create.actor) && hostnameOf(object.id) === hostnameOf(create.actor),
    `${where} (invalid_origin?)`,
    "the object must be on its actor's host",
  );
}

function updateRules(rule: Rule, update: Json) {
  const where = "lib/activitypub/activity/update.rb";
  const object = isObject(update.object) ? update.object : undefined;
  if (
    object &&
    ["Person", "Group", "Service", "Application", "Organization"].includes(object.type)
  ) {
    rule(object.id === update.actor, `${where} update_account`, "an actor updates only itself");
    return;
  }
  rule(
    object !== undefined && statusTypes.includes(object.type),
    `${where} update_status`,
    `a ${object?.type} is no status`,
  );
  rule(
    idOf(asArray(object?.attributedTo)[0]) === update.actor,
    `${where} update_status`,
    "only its author edits a status",
  );
}

function deleteRules(rule: Rule, deletion: Json) {
  const uri = idOf(deletion.object);
  rule(
    isUrl(uri) && isUrl(deletion.actor) && hostnameOf(uri) === hostnameOf(deletion.actor),
    "lib/activitypub/activity/delete.rb (invalid_origin?)",
    "a Delete comes from the object's own host",
  );
}

function collectionRules(rule: Rule, collection: Json, seen: Seen) {
  if (seen.url) fetchedIdRule(rule, collection, seen.url);
  if (seen.as === "outbox" || seen.as === "person-outbox" || seen.as === "followers") {
    rule(
      typeof collection.totalItems === "number",
      "services/activitypub/process_account_service.rb collection_total_items",
      `the ${seen.as.replace("person-", "")} count is read from a numeric totalItems`,
    );
  }
  if (seen.as === "featured") {
    const where = "services/activitypub/fetch_featured_collection_service.rb";
    const items = asArray(collection.orderedItems ?? collection.items);
    rule(
      items.every((item) => isUrl(idOf(item))),
      where,
      "every pinned item must be a status or its id",
    );
    for (const item of items) if (isObject(item)) statusRules(rule, item, undefined);
  }
}

/** Mastodon's problems with `document`, read as `seen.as`; none means Mastodon keeps it. */
export function mastodonProblems(document: Json, seen: Seen): string[] {
  const { found, rule } = rulebook("Mastodon");
  switch (seen.as) {
    case "actor":
      actorRules(rule, document, seen);
      break;
    case "object":
      statusRules(rule, document, seen.url);
      break;
    case "activity":
      if (document.type === "Announce") announceRules(rule, document, seen);
      else if (document.type === "Create") createRules(rule, document);
      else if (document.type === "Update") updateRules(rule, document);
      else if (document.type === "Delete") deleteRules(rule, document);
      else if (!["Like", "Undo", "Accept", "Reject", "Follow"].includes(document.type)) {
        rule(false, `${activity} klass`, `Mastodon has no handler for ${document.type}`);
      }
      break;
    default:
      collectionRules(rule, document, seen);
  }
  return found;
}
