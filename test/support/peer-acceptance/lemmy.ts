/**
 * What Lemmy (LemmyNet/lemmy at 439734dd) accepts, ported from its serde structs (a missing
 * required field or a value of another JSON type fails the whole document) and its `verify`
 * functions. Paths are under crates/apub/.
 */
import {
  asArray,
  fetched,
  groupAddressed,
  hostnameOf,
  idOf,
  isDate,
  isObject,
  isUrl,
  type Json,
  publicAddress,
  type Rule,
  rulebook,
  type Seen,
} from "./rules.ts";

const page = "objects/src/protocol/page.rs";
const note = "objects/src/protocol/note.rs";
const functions = "objects/src/utils/functions.rs";
const protocol = "objects/src/utils/protocol.rs";

const optional = (value: unknown, test: (value: unknown) => boolean) =>
  value === undefined || value === null || test(value);
const isString = (value: unknown) => typeof value === "string";
const isBoolean = (value: unknown) => typeof value === "boolean";
// deserialize_one_or_many: a URL, or a list of them.
const isUrls = (value: unknown) => asArray(value).every(isUrl);
// A serde Vec with `#[serde(default)]`: absent, or a JSON array (a lone object fails).
const isList = (value: unknown) => value === undefined || Array.isArray(value);

/** activitypub_federation's PublicKey: `id`, `owner` and `publicKeyPem`. */
function publicKeyRules(rule: Rule, actor: Json, where: string) {
  const key = actor.publicKey;
  rule(
    isObject(key) && isUrl(key.id) && isUrl(key.owner) && isString(key.publicKeyPem),
    `${where} (publicKey)`,
    "needs a publicKey object with id, owner and publicKeyPem",
  );
}

function actorRules(rule: Rule, actor: Json, seen: Seen) {
  const group = actor.type === "Group";
  const where = group
    ? "objects/src/protocol/group.rs Group"
    : "objects/src/protocol/person.rs Person";
  rule(isUrl(actor.id), where, "id must be a URL");
  rule(isString(actor.preferredUsername), where, "needs a preferredUsername string");
  rule(isUrl(actor.inbox), where, "needs an inbox URL");
  rule(isUrl(actor.outbox), `${where} (outbox)`, "needs an outbox URL");
  publicKeyRules(rule, actor, where);
  rule(optional(actor.name, isString), where, "name must be a string");
  rule(optional(actor.summary, isString), where, "summary must be a string");
  rule(
    optional(actor.endpoints, (value) => isObject(value) && isUrl(value.sharedInbox)),
    `${protocol} Endpoints`,
    "endpoints need a sharedInbox URL",
  );
  if (group) {
    for (const field of ["followers", "featured"]) {
      rule(optional(actor[field], isUrl), where, `${field} must be a URL`);
    }
    for (const field of ["manuallyApprovesFollowers", "discoverable", "postingRestrictedToMods"]) {
      rule(optional(actor[field], isBoolean), where, `${field} must be a boolean`);
    }
  }
  if (seen.url) {
    const verify = group
      ? "apub/objects/src/objects/community.rs"
      : "objects/src/objects/person.rs";
    rule(
      isUrl(actor.id) && hostnameOf(actor.id) === hostnameOf(seen.url),
      `${verify} verify (verify_domains_match)`,
      "its id must be on the domain it was fetched from",
    );
  }
}

/** The attachment variants Lemmy reads a post's link from (page.rs `Attachment`). */
const isAttachment = (value: unknown) =>
  isObject(value) &&
  ((value.type === "Link" && isUrl(value.href)) ||
    (value.type === "Image" && isUrl(value.url)) ||
    (value.type === "Document" && isUrl(value.url)));

/** Deserializing a post as `Page` (page.rs): what makes serde refuse it. */
function pageShapeRules(rule: Rule, post: Json) {
  const where = `${page} Page`;
  rule(
    ["Page", "Article", "Note", "Video", "Event"].includes(post.type),
    `${page} PageType`,
    `a post of type ${post.type} is none Lemmy takes (Page, Article, Note, Video, Event)`,
  );
  rule(isUrl(post.id), where, "id must be a URL");
  const attribution = post.attributedTo;
  rule(
    isUrl(attribution) ||
      (Array.isArray(attribution) &&
        attribution.every((each) => isObject(each) && ["Person", "Group"].includes(each.type)) &&
        attribution.some((each) => each.type === "Person")),
    `${protocol} AttributedTo`,
    "attributedTo must be its author's URL, or PeerTube's list of typed Person and Group",
  );
  rule(isUrls(post.to) && isUrls(post.cc), where, "to and cc must be URLs");
  rule(
    post.inReplyTo === undefined,
    `${where} (deserialize_not_present)`,
    "a post has no inReplyTo",
  );
  rule(
    optional(post.name, isString) && optional(post.content, isString),
    where,
    "name and content must be strings",
  );
  rule(
    optional(post.mediaType, (value) => value === "text/html" || value === "text/markdown"),
    `${where} (MediaTypeMarkdownOrHtml)`,
    `mediaType ${post.mediaType} is neither text/html nor text/markdown`,
  );
  rule(isList(post.attachment), `${where} (attachment: Vec)`, "attachment must be a JSON array");
  rule(
    asArray(post.attachment).every(isAttachment),
    `${page} Attachment`,
    "each attachment must be a Link with an href, or an Image or Document with a url",
  );
  rule(optional(post.sensitive, isBoolean), where, "sensitive must be a boolean");
  rule(
    optional(post.published, isDate) && optional(post.updated, isDate),
    where,
    "dates must be dates",
  );
  rule(optional(post.audience, isUrl), where, "audience must be one community's URL");
  rule(
    optional(post.context, isString),
    `${where} (context: Option<String>)`,
    "context must be a single string",
  );
}

/** Lemmy's ObjectIsNotPublic / ObjectIsNotPrivate: what the community's flags say it is. */
function visibilityRules(rule: Rule, document: Json, group: Json) {
  const isPublic = [...asArray(document.to), ...asArray(document.cc)].includes(publicAddress);
  // community_visibility in functions.rs.
  const visibility = group.manuallyApprovesFollowers
    ? "Private"
    : group.discoverable === false
      ? "Unlisted"
      : "Public";
  rule(
    visibility === "Private" ? !isPublic : isPublic,
    `${functions} verify_visibility`,
    `${document.type} ${document.id} is ${isPublic ? "" : "not "}public in a community Lemmy sees as ${visibility}`,
  );
}

function expectedDomainRule(
  rule: Rule,
  document: Json,
  expected: string | undefined,
  where: string,
) {
  if (!expected || !isUrl(document.id)) return;
  rule(
    hostnameOf(document.id) === hostnameOf(expected),
    `${where} (verify_domains_match)`,
    `${document.id} is not on the domain of ${expected}`,
  );
}

/** ApubPost::verify (objects/src/objects/post.rs). */
function postVerifyRules(rule: Rule, post: Json, seen: Seen, expected: string | undefined) {
  const verify = "objects/src/objects/post.rs verify";
  expectedDomainRule(rule, post, expected, verify);
  const creator = isUrl(post.attributedTo)
    ? post.attributedTo
    : idOf(asArray(post.attributedTo).find((each) => isObject(each) && each.type === "Person"));
  if (creator && isUrl(post.id)) {
    rule(
      hostnameOf(creator) === hostnameOf(post.id),
      verify,
      "its creator must be on its own domain",
    );
  }
  // InCommunity for Page: the first address that is a community.
  const group = groupAddressed(seen, { to: post.to, cc: post.cc });
  rule(group !== undefined, `${page} InCommunity`, "to or cc must name its community");
  if (!group) return;
  rule(
    post.audience === undefined || post.audience === group.id,
    `${page} InCommunity (verify_urls_match)`,
    "audience must be the community it is addressed to",
  );
  if (creator) {
    rule(
      creator !== group.id,
      `${functions} verify_person_in_community`,
      "its creator must be a person, not the community",
    );
  }
  visibilityRules(rule, post, group);
}

/** A comment: serde's `Note` (note.rs) and ApubComment::verify (objects/src/objects/comment.rs). */
function commentRules(rule: Rule, comment: Json, seen: Seen, expected: string | undefined) {
  const where = `${note} Note`;
  rule(isUrl(comment.id) && isUrl(comment.attributedTo), where, "id and attributedTo must be URLs");
  rule(
    comment.to !== undefined && isUrls(comment.to) && isUrls(comment.cc),
    where,
    "to is required, and to and cc must be URLs",
  );
  rule(isString(comment.content), where, "content must be a string");
  rule(isUrl(comment.inReplyTo), where, "inReplyTo must be a URL");
  rule(isList(comment.tag), `${where} (tag: Vec)`, "tag must be a JSON array");
  rule(isList(comment.attachment), `${where} (attachment: Vec)`, "attachment must be a JSON array");
  rule(
    optional(comment.context, isString),
    `${where} (context: Option<String>)`,
    "context must be a single string",
  );
  rule(optional(comment.audience, isUrl), where, "audience must be one community's URL");
  const verify = "objects/src/objects/comment.rs verify";
  expectedDomainRule(rule, comment, expected, verify);
  if (isUrl(comment.id) && isUrl(comment.attributedTo)) {
    rule(
      hostnameOf(comment.attributedTo) === hostnameOf(comment.id),
      verify,
      "its author must be on its own domain",
    );
  }
  const group = comment.audience ? fetched(seen, comment.audience) : groupAddressed(seen, comment);
  if (group?.type === "Group") visibilityRules(rule, comment, group);
}

function objectRules(rule: Rule, object: Json, seen: Seen, expected: string | undefined) {
  if (object.type === "Note" && object.inReplyTo !== undefined) {
    return commentRules(rule, object, seen, expected);
  }
  pageShapeRules(rule, object);
  postVerifyRules(rule, object, seen, expected);
}

const activities = "activities/src/protocol";

/** An activity's own fields, as each of Lemmy's activity structs has them. */
function activityShapeRules(rule: Rule, activity: Json, where: string, ccRequired: boolean) {
  rule(isUrl(activity.id) && isUrl(activity.actor), where, "id and actor must be URLs");
  rule(activity.to !== undefined && isUrls(activity.to), where, "to is required and must be URLs");
  rule(
    (!ccRequired || activity.cc !== undefined) && isUrls(activity.cc),
    where,
    `cc ${ccRequired ? "is required and " : ""}must be URLs`,
  );
}

/** The activities a community relays (AnnouncableActivities), by type. */
function innerActivityRules(rule: Rule, activity: Json, seen: Seen) {
  const object = isObject(activity.object) ? activity.object : undefined;
  switch (activity.type) {
    case "Create":
    case "Update": {
      if (object?.type === "Group") {
        const where = `${activities}/community/update.rs Update`;
        activityShapeRules(rule, activity, where, true);
        rule(
          activity.actor !== object.id,
          `${where} (actor: ObjectId<ApubPerson>)`,
          "a community's Update must come from a moderator, not the Group itself",
        );
        return;
      }
      const comment = object?.type === "Note" && object.inReplyTo !== undefined;
      const where = `${activities}/create_or_update/${comment ? "note.rs CreateOrUpdateNote" : "page.rs CreateOrUpdatePage"}`;
      activityShapeRules(rule, activity, where, true);
      rule(object !== undefined, where, "object must be the post or comment itself");
      if (!object) return;
      objectRules(rule, object, seen, activity.actor);
      const group = groupAddressed(seen, object);
      rule(
        activity.audience === undefined || activity.audience === group?.id,
        `${where} (InCommunity)`,
        "audience must be the object's community",
      );
      if (group) visibilityRules(rule, activity, group);
      return;
    }
    case "Delete": {
      const where = `${activities}/deletion/delete.rs Delete`;
      activityShapeRules(rule, activity, where, false);
      rule(isUrl(idOf(activity.object)), where, "object must be an id or a Tombstone");
      return;
    }
    case "Like":
    case "Dislike": {
      const where = `${activities}/voting/vote.rs Vote`;
      rule(
        isUrl(activity.id) && isUrl(activity.actor) && isUrl(activity.object),
        where,
        "id, actor and object must be URLs",
      );
      return;
    }
    case "Undo": {
      const where = `${activities}/voting/undo_vote.rs UndoVote`;
      rule(isUrl(activity.id) && isUrl(activity.actor), where, "id and actor must be URLs");
      rule(isObject(activity.object) || isUrl(activity.object), where, "object must be the vote");
      return;
    }
    default:
      rule(
        false,
        `${activities}/community/announce.rs AnnouncableActivities`,
        `Lemmy relays no ${activity.type}`,
      );
  }
}

/** AnnounceActivity (announce.rs) and its `receive`. */
function announceRules(rule: Rule, announce: Json, seen: Seen) {
  const where = `${activities}/community/announce.rs AnnounceActivity`;
  activityShapeRules(rule, announce, where, true);
  const inner = isObject(announce.object)
    ? announce.object
    : isUrl(announce.object)
      ? fetched(seen, announce.object)
      : undefined;
  rule(inner !== undefined, where, "object must be an activity Lemmy can read");
  if (!inner) return;
  const receive = "activities/src/community/announce.rs receive";
  const bare = ["Page", "Note", "Article", "Event", "Video", "Document"].includes(inner.type);
  rule(
    !bare,
    `${receive} (CannotReceivePage)`,
    `Lemmy takes an Announce of an activity, never of a bare ${inner.type}`,
  );
  if (bare) return;
  innerActivityRules(rule, inner, seen);
  const group = fetched(seen, announce.actor);
  rule(
    group?.type === "Group",
    `${receive} (verify_urls_match)`,
    "the announcer must be the community",
  );
  if (group?.type === "Group") visibilityRules(rule, announce, group);
}

function collectionRules(rule: Rule, collection: Json, seen: Seen) {
  const collections = "apub/src/protocol/collections";
  const domain = (where: string) => expectedDomainRule(rule, collection, seen.url, where);
  /** The fields every counted collection Lemmy reads must have, of `type`, listing `items`. */
  const counted = (where: string, type: string, items: "items" | "orderedItems") => {
    rule(collection.type === type, where, `type must be ${type}, not ${collection.type}`);
    rule(Number.isInteger(collection.totalItems), where, "needs totalItems");
    rule(Array.isArray(collection[items]), where, `needs ${items} as a JSON array`);
  };
  switch (seen.as) {
    case "outbox": {
      const where = `${collections}/group_outbox.rs GroupOutbox`;
      counted(where, "OrderedCollection", "orderedItems");
      for (const item of asArray(collection.orderedItems)) {
        activityShapeRules(
          rule,
          isObject(item) ? item : {},
          `${where} (orderedItems: Vec<AnnounceActivity>)`,
          true,
        );
      }
      return domain("apub/src/collections/community_outbox.rs verify");
    }
    case "featured": {
      counted(
        `${collections}/group_featured.rs GroupFeatured`,
        "OrderedCollection",
        "orderedItems",
      );
      for (const item of asArray(collection.orderedItems))
        pageShapeRules(rule, isObject(item) ? item : {});
      return domain("apub/src/collections/community_featured.rs verify");
    }
    case "followers": {
      counted(`${collections}/group_followers.rs GroupFollowers`, "Collection", "items");
      return domain("apub/src/collections/community_follower.rs verify");
    }
    case "moderators": {
      const where = `${collections}/group_moderators.rs GroupModerators`;
      rule(
        collection.type === "OrderedCollection",
        where,
        `type must be OrderedCollection, not ${collection.type}`,
      );
      rule(
        Array.isArray(collection.orderedItems) && collection.orderedItems.every(isUrl),
        `${where} (orderedItems: Vec<ObjectId<ApubPerson>>)`,
        "needs orderedItems as a JSON array of person URLs",
      );
      return domain("apub/src/collections/community_moderators.rs verify");
    }
    default:
      // A person's outbox ("lemmy currently serves an empty outbox", protocol/person.rs), the
      // history: Lemmy reads neither.
      return;
  }
}

/** Lemmy's problems with `document`, read as `seen.as`; none means Lemmy takes it. */
export function lemmyProblems(document: Json, seen: Seen): string[] {
  const { found, rule } = rulebook("Lemmy");
  switch (seen.as) {
    case "actor":
      if (["Group", "Person"].includes(document.type)) actorRules(rule, document, seen);
      break;
    case "object":
      objectRules(rule, document, seen, seen.url);
      break;
    case "activity":
      if (document.type === "Announce") announceRules(rule, document, seen);
      else innerActivityRules(rule, document, seen);
      break;
    default:
      collectionRules(rule, document, seen);
  }
  return found;
}
