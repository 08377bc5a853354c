import { and, type Column, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Account, accounts, type ProfileAudience } from "../../db/schema/accounts.ts";
import { type Community, communities } from "../../db/schema/communities.ts";
import { type FileDetails, fileDetails } from "../../db/schema/files.ts";
import {
  type MemberRole,
  type Membership,
  type MembershipState,
  memberRoles,
  memberships,
} from "../../db/schema/memberships.ts";
import {
  type Block,
  blocks,
  type ConversationParticipant,
  conversationParticipants,
  conversations,
} from "../../db/schema/messages.ts";
import { type Post, posts } from "../../db/schema/posts.ts";
import { type Question, questions } from "../../db/schema/questions.ts";

/*
 * Who may see and do what, the only place it is written. Each rule comes in the two forms
 * the code needs, side by side: a check on records already loaded, and the SQL condition
 * for lists, search and counts. test/server/privacy-rule.test.ts holds them to the same answers.
 */

/** What a viewer's relation to a community is, as far as privacy rules care. */
export type Relation = Pick<Membership, "state" | "role"> | null;

/** Whoever asks, as far as SQL conditions care: null when nobody is signed in. */
type Viewer = Pick<Account, "id"> | null;

type FileFlag = Pick<FileDetails, "private">;

/** The relation a row joined with the viewer's membership gives: null when there is none. */
export function relationFrom(row: {
  state: Membership["state"] | null;
  role: Membership["role"] | null;
}): Relation {
  return row.state && row.role ? { state: row.state, role: row.role } : null;
}

const roleRank: Record<MemberRole, number> = { owner: 3, admin: 2, moderator: 1, member: 0 };

/** Only an active membership makes a member: invited, pending, rejected and banned people are not. */
export function isActive(relation: Relation): boolean {
  return relation?.state === "active";
}

export const isActiveMembership: SQL = eq(memberships.state, "active");

/**
 * The people a community knows of: its members, and those invited or waiting for a decision.
 * Refusals (rejected, banned) are remembered, but do not let anyone see more.
 */
const knownStates: MembershipState[] = ["active", "invited", "pending"];

function isKnown(relation: Relation): boolean {
  return relation !== null && knownStates.includes(relation.state);
}

export const isKnownMembership: SQL = inArray(memberships.state, knownStates);

export function hasRoleAtLeast(relation: Relation, role: MemberRole): boolean {
  return isActive(relation) && relation !== null && roleRank[relation.role] >= roleRank[role];
}

export function isActiveWithRoleAtLeast(role: MemberRole): SQL {
  const roles = memberRoles.filter((each) => roleRank[each] >= roleRank[role]);
  return sql`(${isActiveMembership} and ${inArray(memberships.role, roles)})`;
}

export function outranks(role: MemberRole, other: MemberRole): boolean {
  return roleRank[role] > roleRank[other];
}

export function isCommunityAdmin(relation: Relation): boolean {
  return hasRoleAtLeast(relation, "admin");
}

/** Whether the viewer runs this server: its settings, registrations, reports and audit log. */
export function isInstanceAdmin(viewer: Pick<Account, "isAdmin">): boolean {
  return viewer.isAdmin;
}

/** A community's figures are for its admins, and for the instance administrator. */
export function mayReadCommunityFigures(
  viewer: Pick<Account, "isAdmin">,
  relation: Relation,
): boolean {
  return isInstanceAdmin(viewer) || isCommunityAdmin(relation);
}

/**
 * Why `actor` may not act on a membership (and, for a role change, give it `newRole`), or
 * null when they may. One may step down oneself, but not raise, remove or ban oneself; an
 * owner manages anyone, and anyone else only those they outrank, never granting a role above
 * their own.
 */
export function whyMayNotManage(
  actor: Relation,
  target: { themselves: boolean; role: MemberRole },
  newRole?: MemberRole,
): "cannot_manage_self" | "insufficient_role" | null {
  if (target.themselves) {
    if (!newRole) return "cannot_manage_self";
    return outranks(newRole, target.role) ? "insufficient_role" : null;
  }
  if (!actor) return "insufficient_role";
  if (actor.role === "owner") return null;
  if (!outranks(actor.role, target.role)) return "insufficient_role";
  if (newRole && outranks(newRole, actor.role)) return "insufficient_role";
  return null;
}

/**
 * Whether the person may feature a post of the community for the weekly mail: its
 * facilitators, owners, admins and moderators (issue 16).
 */
export function canFeatureForDigest(relation: Relation): boolean {
  return hasRoleAtLeast(relation, "moderator");
}

/** Whether `accountId` is an active member of `communityId`, as a condition on other rows. */
function activeMember(accountId: Column | string, communityId: Column | string): SQL {
  return sql`exists (select 1 from ${memberships} where ${memberships.accountId} = ${accountId}
    and ${memberships.communityId} = ${communityId} and ${isActiveMembership})`;
}

function knownMember(accountId: string, communityId: Column): SQL {
  return sql`exists (select 1 from ${memberships} where ${memberships.accountId} = ${accountId}
    and ${memberships.communityId} = ${communityId} and ${isKnownMembership})`;
}

/**
 * Whether anyone at all may read it, signed in or not, on this server or another: what an
 * open, listed community shares, except files marked private. Only this is addressed to
 * as:Public and linked without a check.
 */
export function isPublicToEveryone(
  community: Pick<Community, "privacy" | "hidden">,
  file: FileFlag | null = null,
): boolean {
  return community.privacy === "open" && !community.hidden && !file?.private;
}

const publicCommunity = sql`(${communities.privacy} = 'open' and not ${communities.hidden})`;

/**
 * Whether the community itself (its About page, its existence) may be shown. A hidden one
 * exists for the people it knows of: who is invited or waiting may see what they would join.
 */
export function canSeeCommunity(community: Pick<Community, "hidden">, relation: Relation): boolean {
  return !community.hidden || isKnown(relation);
}

/** canSeeCommunity as a condition on `communities`. */
export function communitiesVisibleTo(viewer: Viewer): SQL {
  const listed = sql`not ${communities.hidden}`;
  return viewer ? sql`(${listed} or ${knownMember(viewer.id, communities.id)})` : listed;
}

/**
 * Whether the community's content and member list may be read: by anyone when it is public
 * to everyone, otherwise by active members only. So people invited to or waiting on a hidden
 * open community see its About but not its content: a hidden community's content is never
 * for non-members. Rejected and banned people read what anyone signed out could.
 */
export function canReadContent(
  community: Pick<Community, "hidden" | "privacy">,
  relation: Relation,
): boolean {
  return isPublicToEveryone(community) || isActive(relation);
}

/** canReadContent as a condition on `communities`. */
export function communitiesReadableBy(viewer: Viewer): SQL {
  return viewer
    ? sql`(${publicCommunity} or ${activeMember(viewer.id, communities.id)})`
    : publicCommunity;
}

/**
 * Whether a post may be read: as its community's content, except that a file marked private
 * is for active members only, even in an open community. A post that is no file passes `null`.
 */
export function canReadFile(
  community: Pick<Community, "hidden" | "privacy">,
  file: FileFlag | null,
  relation: Relation,
): boolean {
  return isPublicToEveryone(community, file) || isActive(relation);
}

/** canReadFile as a condition on `posts` joined with their `communities`. */
export function postsReadableBy(viewer: Viewer): SQL {
  const privateFile = sql`exists (select 1 from ${fileDetails}
    where ${fileDetails.postId} = ${posts.id} and ${fileDetails.private})`;
  const publicPost = sql`(${publicCommunity} and not ${privateFile})`;
  return viewer
    ? sql`(${publicPost} or ${activeMember(viewer.id, posts.communityId)})`
    : publicPost;
}

/** Memberships in other states than active (requests, invitations, bans) are for admins to see. */
export function canSeeMembersIn(state: MembershipState, relation: Relation): boolean {
  return state === "active" || isCommunityAdmin(relation);
}

/**
 * Whether a viewer sees a person's profession, organisation and country, as the person chose:
 * everyone, the members of a community where they meet, or that community's admins only.
 * `relation` is the viewer's to that community (null where they meet in none, as in a lookup
 * by handle); people always see their own. A person from another server is shown as their
 * own server published them: it sends only what everyone may see (federation/actors.ts).
 */
export function seesProfileDetails(
  person: Pick<Account, "id" | "domain" | "profileAudience">,
  viewer: Viewer,
  relation: Relation,
): boolean {
  if (person.domain || viewer?.id === person.id) return true;
  switch (person.profileAudience) {
    case "everyone":
      return true;
    case "members":
      return isActive(relation);
    case "admins":
      return isCommunityAdmin(relation);
  }
}

/** Whether other servers, which cannot tell who the members are, get the profile details. */
export const publishesProfileDetails = (
  person: Pick<Account, "id" | "domain" | "profileAudience">,
) => seesProfileDetails(person, null, null);

/**
 * A direct conversation is for the people in it, and no one else: not the instance's
 * administrator, not the members of a community they share. `participation` is the viewer's
 * row in it, if any.
 */
export function canReadConversation<T extends Pick<ConversationParticipant, "accountId">>(
  participation: T | null | undefined,
): participation is T {
  return Boolean(participation);
}

/**
 * Whether another server may report (`Flag`) a direct message here: only when one of its
 * people is in the conversation, as only a participant here may report one (canReadConversation).
 */
export function mayServerReportMessage(
  server: string | null,
  participants: readonly Pick<Account, "domain">[],
): boolean {
  return server !== null && participants.some((each) => each.domain === server);
}

/** canReadConversation as a condition on `conversations`. */
export function conversationsReadableBy(viewer: Viewer): SQL {
  if (!viewer) return sql`false`;
  return sql`exists (select 1 from ${conversationParticipants}
    where ${conversationParticipants.conversationId} = ${conversations.id}
    and ${conversationParticipants.accountId} = ${viewer.id})`;
}

/**
 * Whether `senderId` may write to `recipientIds`: not when a block stands between the sender
 * and any of them, whichever way (who blocks someone may not write to them either). `between`
 * are the blocks blocksBetween found.
 */
export function mayMessage(
  senderId: string,
  recipientIds: readonly string[],
  between: readonly Pick<Block, "blockerId" | "blockedId">[],
): boolean {
  return !between.some(
    (block) =>
      (block.blockerId === senderId && recipientIds.includes(block.blockedId)) ||
      (block.blockedId === senderId && recipientIds.includes(block.blockerId)),
  );
}

/** The blocks mayMessage weighs, as a condition on `blocks`. */
export function blocksBetween(senderId: string, recipientIds: readonly string[]): SQL {
  const others = recipientIds.length > 0 ? [...recipientIds] : [senderId];
  return or(
    and(eq(blocks.blockerId, senderId), inArray(blocks.blockedId, others)),
    and(inArray(blocks.blockerId, others), eq(blocks.blockedId, senderId)),
  ) as SQL;
}

/** Whether news of what `actorId` did reaches `accountId`: not when they block that person. */
export function hearsFrom(accountId: string, actorId: string): SQL {
  return sql`not exists (select 1 from ${blocks}
    where ${blocks.blockerId} = ${accountId} and ${blocks.blockedId} = ${actorId})`;
}

/**
 * seesProfileDetails as a condition on `accounts`, for a viewer in `relation` to the one
 * community they are listed in (its member directory). Filters on a hidden detail go through
 * it too, so that a filter never tells what the viewer may not read.
 */
export function profileDetailsVisibleIn(viewer: Viewer, relation: Relation): SQL {
  const audiences: ProfileAudience[] = ["everyone"];
  if (isActive(relation)) audiences.push("members");
  if (isCommunityAdmin(relation)) audiences.push("admins");
  const own = viewer ? sql`${accounts.id} = ${viewer.id}` : sql`false`;
  return sql`(${accounts.domain} is not null or ${own}
    or ${inArray(accounts.profileAudience, audiences)})`;
}

/**
 * seesProfileDetails as a condition on `accounts` wherever the two meet (a profile page, the
 * finder of people): the viewer is an active member, or an admin, of a community the person
 * is an active member of, as the person's choice asks.
 */
export function profileDetailsVisibleTo(viewer: Viewer): SQL {
  if (!viewer) return profileDetailsVisibleIn(null, null);
  const person = alias(memberships, "person_membership");
  const meetAs = (role: MemberRole) => sql`exists (select 1 from ${memberships}
    join ${memberships} as ${person} on ${person.communityId} = ${memberships.communityId}
    where ${memberships.accountId} = ${viewer.id} and ${isActiveWithRoleAtLeast(role)}
    and ${person.accountId} = ${accounts.id} and ${person.state} = 'active')`;
  return sql`(${profileDetailsVisibleIn(viewer, null)}
    or (${accounts.profileAudience} = 'members' and ${meetAs("member")})
    or (${accounts.profileAudience} = 'admins' and ${meetAs("admin")}))`;
}

/** A community's facilitators, who hear its members' questions: its owners, admins and moderators. */
export function isFacilitator(relation: Relation): boolean {
  return hasRoleAtLeast(relation, "moderator");
}

/** isFacilitator as a condition on `memberships`. */
export const isFacilitatorMembership: SQL = isActiveWithRoleAtLeast("moderator");

/**
 * Whether someone takes part in the community's coffee rounds and may ask its facilitators a
 * question: its active members, in a community hosted here. A community on another server
 * connects its people there, where its facilitators and members' addresses are.
 */
export function connectsPeopleIn(
  community: Pick<Community, "domain">,
  relation: Relation,
): boolean {
  return community.domain === null && isActive(relation);
}

type QuestionParties = Pick<Question, "askerId" | "assigneeId">;

/**
 * Whether a question to the facilitators, and its answer, may be read: it is private to the
 * person who asked, the person it was handed to, and the community's facilitators.
 */
export function canReadQuestion(
  question: QuestionParties,
  viewer: Pick<Account, "id">,
  relation: Relation,
): boolean {
  return (
    question.askerId === viewer.id || question.assigneeId === viewer.id || isFacilitator(relation)
  );
}

/** canReadQuestion as a condition on `questions`. */
export function questionsReadableBy(viewer: Pick<Account, "id">): SQL {
  return sql`(${questions.askerId} = ${viewer.id} or ${questions.assigneeId} = ${viewer.id}
    or exists (select 1 from ${memberships} where ${memberships.accountId} = ${viewer.id}
      and ${memberships.communityId} = ${questions.communityId} and ${isFacilitatorMembership}))`;
}

/** Whether the viewer may answer a question: the person it was handed to, or a facilitator. */
export function mayAnswerQuestion(
  question: QuestionParties,
  viewer: Pick<Account, "id">,
  relation: Relation,
): boolean {
  return question.assigneeId === viewer.id || isFacilitator(relation);
}

/** Who decides on a community's reports: its moderators and up, and the instance administrator. */
export function mayDecideReports(viewer: Pick<Account, "isAdmin">, relation: Relation): boolean {
  return isInstanceAdmin(viewer) || hasRoleAtLeast(relation, "moderator");
}

/** mayDecideReports as a condition on `accounts` left-joined with their membership there. */
export const decidesReports: SQL = sql`(${accounts.isAdmin} or ${isActiveWithRoleAtLeast("moderator")})`;

/**
 * Whether someone may add, replace or remove a post's translations (issue 18): its author, or
 * a member the community's admins appointed as translator; active members only. A copy of a
 * post from another server is translated there, where its translations federate from.
 */
export function mayTranslate(
  post: Pick<Post, "authorId" | "uri">,
  viewer: Pick<Account, "id">,
  relation: Relation,
  appointedTranslator: boolean,
): boolean {
  if (post.uri !== null || !isActive(relation)) return false;
  return post.authorId === viewer.id || appointedTranslator;
}

/** Who appoints a community's translators, and sees who they are: its admins. */
export function mayAppointTranslators(relation: Relation): boolean {
  return isCommunityAdmin(relation);
}

/*
 * What the viewer may do (issue 18), answered as `may` with a community, a post or a comment
 * so that the client never restates a rule. Each is computed from the membership the answer
 * already loaded; the services refuse by the same checks.
 */

/** Whether someone may write in a community: its active members, while it is not archived. */
export function mayWriteIn(community: Pick<Community, "archived">, relation: Relation): boolean {
  return isActive(relation) && !community.archived;
}

/** Whether someone may publish announcements, which notify every member: moderators and up. */
export function mayAnnounceIn(community: Pick<Community, "archived">, relation: Relation): boolean {
  return mayWriteIn(community, relation) && hasRoleAtLeast(relation, "moderator");
}

/** Whether someone may open a working group in it: its admins, in a top-level live community. */
export function mayCreateGroupIn(
  community: Pick<Community, "archived" | "parentId">,
  relation: Relation,
): boolean {
  return isCommunityAdmin(relation) && community.parentId === null && !community.archived;
}

/** Whether someone may make another member an owner: only its owners hand the community on. */
export function mayHandOver(relation: Relation): boolean {
  return hasRoleAtLeast(relation, "owner");
}

/**
 * How someone who is not a member comes into a community: at once where it is open or public,
 * by asking its admins where it is semi-private, and only by invitation where it is private.
 * An invitation opens any of them.
 */
export const waysIn = ["join", "request", "invitation"] as const;
export type WayIn = (typeof waysIn)[number];

export function wayIn(community: Pick<Community, "privacy">, relation: Relation): WayIn {
  if (relation?.state === "invited") return "join";
  switch (community.privacy) {
    case "open":
    case "public":
      return "join";
    case "semi_private":
      return "request";
    case "private":
      return "invitation";
  }
}

/**
 * The way in the viewer is offered: none to its members, to those it banned, or in an archive.
 * A working group also needs its parent's membership, which the join itself checks.
 */
export function mayJoin(
  community: Pick<Community, "privacy" | "archived">,
  relation: Relation,
): WayIn | null {
  if (community.archived || isActive(relation) || relation?.state === "banned") return null;
  return wayIn(community, relation);
}

/**
 * Whether a request to join must say how the person meets the community's eligibility: it
 * must where the community states one, so that its admins can decide.
 */
export function requestNeedsMessage(community: Pick<Community, "eligibility">): boolean {
  return community.eligibility.trim() !== "";
}

/** What the viewer may do in a community, as its answers say. */
export function communityMay(
  community: Pick<Community, "archived" | "parentId" | "privacy" | "domain" | "eligibility">,
  relation: Relation,
) {
  const join = mayJoin(community, relation);
  return {
    join,
    requestNeedsMessage: join === "request" && requestNeedsMessage(community),
    // A request still waiting can be withdrawn as a membership is left.
    leave: isActive(relation) || relation?.state === "pending",
    connect: connectsPeopleIn(community, relation),
    post: mayWriteIn(community, relation),
    announce: mayAnnounceIn(community, relation),
    moderate: isFacilitator(relation),
    administer: isCommunityAdmin(relation),
    createGroup: mayCreateGroupIn(community, relation),
    handOver: mayHandOver(relation),
  };
}

/** A post or a comment, as far as who may change it goes. */
type Authored = Pick<Post, "authorId" | "deletedAt">;

/** Whether someone may change an item's text: its author, while they may write there. */
export function mayEditItem(
  item: Authored,
  viewer: Viewer,
  community: Pick<Community, "archived">,
  relation: Relation,
): boolean {
  return (
    item.deletedAt === null &&
    viewer !== null &&
    item.authorId === viewer.id &&
    mayWriteIn(community, relation)
  );
}

/** Whether someone may delete an item: its author, or the community's moderators. */
export function mayDeleteItem(item: Authored, viewer: Viewer, relation: Relation): boolean {
  return (
    item.deletedAt === null &&
    viewer !== null &&
    (item.authorId === viewer.id || hasRoleAtLeast(relation, "moderator"))
  );
}

/**
 * Whether someone may pin or lock a thread, or feature it for the weekly mail: moderators and
 * up (canFeatureForDigest), while they may write there.
 */
export function mayModeratePost(
  post: Pick<Post, "deletedAt">,
  community: Pick<Community, "archived">,
  relation: Relation,
): boolean {
  return (
    post.deletedAt === null && mayWriteIn(community, relation) && canFeatureForDigest(relation)
  );
}

/** Whether someone may reply to a thread: where they may write, unless it is locked or gone. */
export function mayReplyTo(
  post: Pick<Post, "deletedAt" | "locked">,
  community: Pick<Community, "archived">,
  relation: Relation,
): boolean {
  return post.deletedAt === null && !post.locked && mayWriteIn(community, relation);
}

/** What the viewer may do with a post (an event and a file too), as its answers say. */
export function postMay(
  post: Authored & Pick<Post, "locked">,
  viewer: Viewer,
  community: Pick<Community, "archived">,
  relation: Relation,
) {
  return {
    edit: mayEditItem(post, viewer, community, relation),
    delete: mayDeleteItem(post, viewer, relation),
    moderate: mayModeratePost(post, community, relation),
    reply: mayReplyTo(post, community, relation),
  };
}

/** What the viewer may do with a comment on `post`: a locked thread's comments stay as written. */
export function commentMay(
  comment: Authored,
  post: Pick<Post, "locked">,
  viewer: Viewer,
  community: Pick<Community, "archived">,
  relation: Relation,
) {
  return {
    edit: mayEditItem(comment, viewer, community, relation) && !post.locked,
    delete: mayDeleteItem(comment, viewer, relation),
  };
}
