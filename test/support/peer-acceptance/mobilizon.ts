/**
 * What Mobilizon (framasoft/mobilizon at c64a0ea) accepts, ported from its transmogrifier,
 * converters and actor changesets. Paths are under lib/.
 */
import {
  asArray,
  fetched,
  hostOf,
  idOf,
  isObject,
  isUrl,
  type Json,
  type Rule,
  rulebook,
  type Seen,
} from "./rules.ts";

const transmogrifier = "federation/activity_pub/transmogrifier.ex handle_incoming";
const utils = "federation/activity_pub/utils.ex";
const event = "federation/activity_stream/converter/event.ex";
const converterUtils = "federation/activity_stream/converter/utils.ex";

/** Addresses are added up as lists (get_recipients: `Map.get(data, "to", []) ++ …`). */
const toRule = (rule: Rule, document: Json) =>
  rule(
    document.to === undefined || Array.isArray(document.to),
    `${utils} get_recipients`,
    `${document.type} ${document.id}: to must be a JSON array, not ${JSON.stringify(document.to)}`,
  );

/** Converter.Actor.as_to_model_data and Actor.remote_actor_creation_changeset. */
function actorRules(rule: Rule, actor: Json) {
  const converter = "federation/activity_stream/converter/actor.ex as_to_model_data";
  const changeset = "mobilizon/actors/actor.ex remote_actor_creation_changeset";
  rule(
    ["Application", "Group", "Organization", "Person", "Service"].includes(actor.type),
    converter,
    `a ${actor.type} is no actor`,
  );
  rule(isUrl(actor.id) && isUrl(actor.inbox), changeset, "url and inbox_url are required");
  rule(
    typeof actor.preferredUsername === "string" && actor.preferredUsername.length <= 100,
    changeset,
    "preferred_username is required, at most 100 characters",
  );
  rule(
    isObject(actor.publicKey) && typeof actor.publicKey.publicKeyPem === "string",
    `${converter} (keys: data["publicKey"]["publicKeyPem"])`,
    "keys are required: a publicKey object with its publicKeyPem",
  );
  rule(
    actor.summary === undefined ||
      (typeof actor.summary === "string" && actor.summary.length <= 5000),
    changeset,
    "summary is at most 5000 characters",
  );
  rule(
    actor.endpoints === undefined || isObject(actor.endpoints),
    converter,
    "endpoints must be an object",
  );
}

/** maybe_fetch_actor_and_attributed_to_id: `actor` and `attributedTo`, each one actor. */
function singleActorRule(rule: Rule, object: Json) {
  const single = (value: unknown) =>
    value === undefined ||
    typeof value === "string" ||
    (isObject(value) && typeof value.id === "string");
  rule(
    (object.actor !== undefined || object.attributedTo !== undefined) &&
      single(object.actor) &&
      single(object.attributedTo),
    `${converterUtils} maybe_fetch_actor_and_attributed_to_id`,
    "actor and attributedTo must each be one actor (a list finds none)",
  );
}

/** Converter.Event.as_to_model_data. */
function eventRules(rule: Rule, object: Json) {
  singleActorRule(rule, object);
  rule(
    typeof object.name === "string" && typeof object.startTime === "string",
    `${event} as_to_model_data`,
    "an event needs a name and a startTime",
  );
  rule(
    object.attachment === undefined || Array.isArray(object.attachment),
    `${event} get_metdata`,
    "attachment must be a JSON array (Enum.filter over a lone object fails)",
  );
  const online = asArray(object.url).filter((url) => isObject(url) && url.href !== object.id);
  rule(
    online.length === 0,
    `${event} get_online_address`,
    "the online address is read only from an attachment Link named Website, not from url",
  );
}

/** What the Create handlers do with a fetched or embedded object, by type. */
function objectRules(rule: Rule, object: Json, url: string | undefined) {
  toRule(rule, object);
  // Fetcher.fetch_and_create: origin_check? compares the URL with its actor's host and port.
  const author = idOf(object.actor) ?? idOf(asArray(object.attributedTo)[0]);
  if (url && object.type !== "Tombstone") {
    rule(
      isUrl(author) && hostOf(author) === hostOf(url),
      `${utils} origin_check?`,
      `${url} must come from its actor's host`,
    );
  }
  if (object.type === "Event") eventRules(rule, object);
  if (object.type === "Note") singleActorRule(rule, object);
  rule(
    !["Document", "ResourceCollection"].includes(object.type),
    `${transmogrifier} (Create Document: a group resource)`,
    `a ${object.type} is taken as a resource of a group its author must be a member of`,
  );
  if (["Group", "Person"].includes(object.type)) actorRules(rule, object);
}

function activityRules(rule: Rule, activity: Json, seen: Seen) {
  toRule(rule, activity);
  const object = activity.object;
  switch (activity.type) {
    case "Announce": {
      // process_announce_data: the object is fetched from its URL, then handled as a Create.
      const uri = idOf(object);
      const found = uri ? fetched(seen, uri) : undefined;
      rule(
        found !== undefined,
        `${transmogrifier} (Announce: process_announce_data)`,
        `${uri} cannot be fetched`,
      );
      if (found && uri) objectRules(rule, found, uri);
      return;
    }
    case "Create":
    case "Update":
      if (isObject(object)) objectRules(rule, object, undefined);
      return;
    case "Delete":
      rule(
        idOf(object) !== undefined && isUrl(activity.actor),
        `${transmogrifier} (Delete)`,
        "needs an actor and an object",
      );
      return;
  }
}

/**
 * A group's or a person's outbox, as the refresher reads it when it joins the group or
 * refreshes the person (federation/activity_pub/refresher.ex, fetch_group, refresh_profile):
 * each item handled as the activity it is (handling_element).
 */
function outboxRules(rule: Rule, outbox: Json, seen: Seen) {
  const where = "federation/activity_pub/refresher.ex process_collection";
  rule(
    ["OrderedCollection", "OrderedCollectionPage"].includes(outbox.type) &&
      (Array.isArray(outbox.orderedItems) ||
        Array.isArray(outbox.items) ||
        outbox.first !== undefined),
    where,
    "an outbox must be an OrderedCollection with orderedItems, items or first: anything else fails the refresh",
  );
  for (const item of asArray(outbox.orderedItems ?? outbox.items)) {
    if (!isObject(item)) continue;
    // handling_element: an Announce is handled as what it carries.
    const handled = item.type === "Announce" && isObject(item.object) ? item.object : item;
    if (["Create", "Update", "Delete"].includes(handled.type)) activityRules(rule, handled, seen);
    else objectRules(rule, handled, undefined);
  }
}

/** Mobilizon's problems with `document`, read as `seen.as`; none means Mobilizon takes it. */
export function mobilizonProblems(document: Json, seen: Seen): string[] {
  const { found, rule } = rulebook("Mobilizon");
  switch (seen.as) {
    case "actor":
      actorRules(rule, document);
      // origin_check? for an actor: its id is the URL it was fetched from.
      if (seen.url)
        rule(
          document.id === seen.url,
          `${utils} origin_check?`,
          `fetched ${seen.url}, id ${document.id}`,
        );
      break;
    case "object":
      objectRules(rule, document, seen.url);
      break;
    case "activity":
      activityRules(rule, document, seen);
      break;
    case "outbox":
    case "person-outbox":
      outboxRules(rule, document, seen);
      break;
    default:
      // Mobilizon reads a group's other collections only when it is a Mobilizon group.
      break;
  }
  return found;
}
