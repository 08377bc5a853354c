import { and, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { coffeeParticipants } from "../../db/schema/coffee.ts";
import { type Community, communities } from "../../db/schema/communities.ts";
import { invitations } from "../../db/schema/invitations.ts";
import {
  type MemberRole,
  type Membership,
  type MembershipState,
  memberships,
} from "../../db/schema/memberships.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { composeMail } from "../mail/compose.ts";
import { afterCursor, cursorOrder, type Page, type PageRequest, toPage } from "../pagination.ts";
import { refOf } from "../urls.ts";
import { recordDecision, withReason } from "./audit.ts";
import { administerCommunity, relationOf, viewCommunity } from "./communities.ts";
import { sendMailQuietly } from "./mail.ts";
import { notify } from "./notifications.ts";
import {
  canReadContent,
  canSeeMembersIn,
  hasRoleAtLeast,
  isActive,
  isActiveMembership,
  isActiveWithRoleAtLeast,
  isKnownMembership,
  profileDetailsVisibleIn,
  type Relation,
  requestNeedsMessage,
  wayIn,
  whyMayNotManage,
} from "./privacy.ts";
import { type PeopleFilters, peopleMatching } from "./profiles.ts";

export interface MemberView {
  membership: Membership;
  account: Account;
}

/** Puts `accountId` into `communityId` in `state`, replacing any earlier refusal. */
export async function admit(
  db: Executor,
  communityId: string,
  accountId: string,
  values: { state: MembershipState; message?: string; followUri?: string | null },
): Promise<Membership> {
  const now = new Date();
  const [row] = await db
    .insert(memberships)
    .values({ communityId, accountId, role: "member", message: "", ...values })
    .onConflictDoUpdate({
      target: [memberships.communityId, memberships.accountId],
      set: {
        state: values.state,
        message: values.message ?? "",
        followUri: values.followUri ?? null,
        role: "member",
        decisionReason: "",
        decidedById: null,
        decidedAt: null,
        createdAt: now,
        updatedAt: now,
      },
    })
    .returning();
  if (!row) throw new Error("membership upsert returned nothing");
  return row;
}

async function assertParentMembership(
  db: Executor,
  community: Community,
  accountId: string,
): Promise<void> {
  if (!community.parentId) return;
  if (!isActive(await relationOf(db, community.parentId, accountId))) {
    throw new DomainError("parent_membership_required");
  }
}

/** The community's owners and admins hear of a request waiting for their decision. */
async function notifyAdmins(
  db: Executor,
  community: Community,
  request: Membership,
  requester: Account,
) {
  const admins = await db
    .select({ accountId: memberships.accountId })
    .from(memberships)
    .where(and(eq(memberships.communityId, community.id), isActiveWithRoleAtLeast("admin")));
  for (const { accountId } of admins) {
    await notify(db, {
      accountId,
      kind: "join_request",
      communityId: community.id,
      subjectId: request.id,
      actorId: requester.id,
      data: { community: community.slug, requester: requester.username },
    });
  }
}

/**
 * Asks to join: open and public communities admit at once, semi-private ones queue the
 * request for an admin, private ones only admit people who were invited. A community on
 * another server decides there: the request stays pending until its answer arrives.
 */
export async function joinCommunity(
  deps: Deps,
  ref: string,
  viewer: Account,
  message: string | undefined,
): Promise<Membership> {
  const { community, relation } = await viewCommunity(deps, ref, viewer);
  if (relation?.state === "banned") throw new DomainError("banned");
  if (!community.domain) return requestMembership(deps, community, viewer, { message });
  return deps.db.transaction(async (tx) => {
    const current = await findMembership(tx, community.id, viewer.id);
    if (current?.state === "active") return current;
    const request = await admit(tx, community.id, viewer.id, {
      state: "pending",
      message: message?.trim() ?? "",
    });
    await deps.federation.publish(tx, { type: "join_requested", membershipId: request.id });
    return request;
  });
}

/** A handle-invitation to `community` for `handle` (`name@host`), still usable. */
const openInvitationFor = (community: Community, handle: string) =>
  and(
    eq(invitations.communityId, community.id),
    eq(invitations.handle, handle.toLowerCase()),
    isNull(invitations.usedAt),
    gt(invitations.expiresAt, new Date()),
  );

/** Whether a person on another server is invited to `community` by the handle they go by. */
export async function isInvitedByHandle(
  db: Executor,
  community: Community,
  handle: string,
): Promise<boolean> {
  const [invitation] = await db
    .select({ id: invitations.id })
    .from(invitations)
    .where(openInvitationFor(community, handle))
    .limit(1);
  return invitation !== undefined;
}

/** Uses up a handle-invitation for a person on another server, if one is still usable. */
async function claimRemoteInvitation(db: Executor, community: Community, account: Account) {
  // The handle invited is the holder's: a namesake on its server is not who was asked.
  if (!account.holdsHandle) return false;
  const [invitation] = await db
    .update(invitations)
    .set({ usedAt: new Date() })
    .where(openInvitationFor(community, `${account.username}@${account.domain}`))
    .returning({ id: invitations.id });
  return invitation !== undefined;
}

/**
 * Makes one person's requests to join one community, sent at the same moment, happen one
 * after the other: else each sees no request yet, and the admins hear of every one.
 */
async function lockMembershipOf(tx: Executor, communityId: string, accountId: string) {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`membership ${communityId} ${accountId}`}, 0))`,
  );
}

/**
 * The rules for joining a local community, for people of this server and of others alike.
 * A person on another server is told the outcome through federation.
 */
export async function requestMembership(
  deps: Deps,
  community: Community,
  account: Account,
  request: { message?: string | undefined; followUri?: string | undefined },
): Promise<Membership> {
  const remote = account.domain !== null;
  return deps.db.transaction(async (tx) => {
    await lockMembershipOf(tx, community.id, account.id);
    const current = await findMembership(tx, community.id, account.id);
    if (current?.state === "banned") throw new DomainError("banned");
    const decided = async (membership: Membership) => {
      if (remote && membership.state === "active") {
        await deps.federation.publish(tx, { type: "join_decided", membershipId: membership.id });
      }
      return membership;
    };
    const values = (state: MembershipState, message = "") => ({
      state,
      message,
      followUri: request.followUri ?? null,
    });
    if (current?.state === "active") {
      if (!request.followUri) return current;
      return decided(await admit(tx, community.id, account.id, values("active")));
    }
    if (community.archived) throw new DomainError("community_archived");
    await assertParentMembership(tx, community, account.id);
    const invitedByHandle =
      current?.state !== "invited" &&
      remote &&
      (await claimRemoteInvitation(tx, community, account));
    switch (invitedByHandle ? "join" : wayIn(community, current ?? null)) {
      case "join":
        return decided(await admit(tx, community.id, account.id, values("active")));
      case "request": {
        const answer = request.message?.trim() ?? "";
        // A Follow carries no message; its sender's admins decide without one.
        if (!remote && requestNeedsMessage(community) && !answer)
          throw new DomainError("message_required");
        const pending = await admit(tx, community.id, account.id, values("pending", answer));
        // Asking again while the request waits changes it; the admins heard of it already.
        if (current?.state !== "pending") await notifyAdmins(tx, community, pending, account);
        return pending;
      }
      case "invitation":
        throw new DomainError("invitation_required");
    }
  });
}

async function findMembership(db: Executor, communityId: string, accountId: string) {
  const [row] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.communityId, communityId), eq(memberships.accountId, accountId)));
  return row;
}

async function activeOwnerCount(db: Executor, communityId: string): Promise<number> {
  return db.$count(
    memberships,
    and(eq(memberships.communityId, communityId), isActiveWithRoleAtLeast("owner")),
  );
}

async function assertNotLastOwner(db: Executor, membership: Membership): Promise<void> {
  if (!hasRoleAtLeast(membership, "owner")) return;
  // Locks the community's owner rows so two owners cannot both step down at once.
  await db.execute(
    sql`select 1 from ${memberships} where ${memberships.communityId} = ${membership.communityId}
        and ${memberships.role} = 'owner' for update`,
  );
  if ((await activeOwnerCount(db, membership.communityId)) <= 1)
    throw new DomainError("last_owner");
}

/** Leaving (or being removed from) a community also ends membership of its working groups. */
async function dropWithWorkingGroups(
  db: Executor,
  community: Community,
  accountId: string,
  keepBanned = false,
): Promise<void> {
  if (!keepBanned) {
    await db
      .delete(memberships)
      .where(and(eq(memberships.communityId, community.id), eq(memberships.accountId, accountId)));
  }
  const workingGroups = db
    .select({ id: communities.id })
    .from(communities)
    .where(eq(communities.parentId, community.id));
  // Whoever leaves stops being paired for coffee there; coming back starts afresh.
  await db
    .delete(coffeeParticipants)
    .where(
      and(
        eq(coffeeParticipants.accountId, accountId),
        or(
          eq(coffeeParticipants.communityId, community.id),
          inArray(coffeeParticipants.communityId, workingGroups),
        ),
      ),
    );
  await db.delete(memberships).where(
    and(
      inArray(memberships.communityId, workingGroups),
      eq(memberships.accountId, accountId),
      // Refusals there are kept: they still stand if the person comes back.
      isKnownMembership,
    ),
  );
}

/**
 * Someone of this server who is an active member of `community` (a copy of one elsewhere):
 * this server reads its members-only documents as them.
 */
export async function aLocalMemberOf(db: Executor, communityId: string): Promise<Account | null> {
  const [member] = await db
    .select({ account: accounts })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(
      and(eq(memberships.communityId, communityId), isActiveMembership, isNull(accounts.domain)),
    )
    .limit(1);
  return member?.account ?? null;
}

/** The Follow a local person asked another server with, so that leaving can name it. */
export async function recordFollowUri(
  db: Executor,
  membershipId: string,
  followUri: string,
): Promise<void> {
  await db.update(memberships).set({ followUri }).where(eq(memberships.id, membershipId));
}

export async function leaveCommunity(deps: Deps, ref: string, viewer: Account): Promise<void> {
  const { community } = await viewCommunity(deps, ref, viewer);
  await endMembership(deps, community, viewer);
}

/** `account` leaves `community`; the other server hears of it when either side is remote. */
export async function endMembership(
  deps: Deps,
  community: Community,
  account: Account,
): Promise<void> {
  await deps.db.transaction((tx) => endMembershipIn(tx, deps, community, account));
}

/** `endMembership` within the caller's transaction, as when an account is deleted. */
export async function endMembershipIn(
  tx: Executor,
  deps: Deps,
  community: Community,
  account: Account,
): Promise<void> {
  const membership = await findMembership(tx, community.id, account.id);
  if (!membership || membership.state === "banned" || membership.state === "rejected") {
    throw new DomainError("member_not_found");
  }
  await assertNotLastOwner(tx, membership);
  await dropWithWorkingGroups(tx, community, account.id);
  if (community.domain) {
    await deps.federation.publish(tx, {
      type: "left",
      communityId: community.id,
      accountId: account.id,
      followUri: membership.followUri,
    });
  }
}

/**
 * The answer from another server to a local person's request to join its community: they
 * are told here as they would be of a local decision, and an admitted member's server then
 * fetches what the community already holds.
 */
export async function settleRemoteRequest(
  deps: Deps,
  community: Community,
  account: Account,
  accepted: boolean,
): Promise<void> {
  const settled = await deps.db.transaction(async (tx) => {
    const [membership] = await tx
      .update(memberships)
      .set({
        state: accepted ? "active" : "rejected",
        decidedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(memberships.communityId, community.id),
          eq(memberships.accountId, account.id),
          // Told once: an Accept repeated, or a late one after a refusal, changes nothing.
          inArray(memberships.state, accepted ? ["pending", "invited"] : ["pending", "active"]),
        ),
      )
      .returning({ id: memberships.id });
    if (!membership) return false;
    await noticeOfDecision(tx, community, account, membership.id, accepted, null, "");
    if (accepted) {
      await deps.federation.publish(tx, {
        type: "admitted_elsewhere",
        membershipId: membership.id,
      });
    }
    return true;
  });
  if (settled) await mailOfDecision(deps, community, account, accepted, "");
}

export interface MemberQuery extends PageRequest, PeopleFilters {
  state?: MembershipState | undefined;
  role?: MemberRole | undefined;
}

/** Active members for whoever may read the community; other states for its admins only. */
export async function listMembers(
  deps: Deps,
  ref: string,
  viewer: Account | null,
  query: MemberQuery,
): Promise<{ page: Page<MemberView>; relation: Relation }> {
  const { community, relation } = await viewCommunity(deps, ref, viewer);
  const state = query.state ?? "active";
  if (!canSeeMembersIn(state, relation)) throw new DomainError("admin_only");
  if (!canReadContent(community, relation)) {
    throw new DomainError(viewer ? "forbidden" : "not_signed_in");
  }
  const rows = await deps.db
    .select({ membership: memberships, account: accounts })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(
      and(
        eq(memberships.communityId, community.id),
        eq(memberships.state, state),
        query.role ? eq(memberships.role, query.role) : undefined,
        peopleMatching(query, profileDetailsVisibleIn(viewer, relation)),
        afterCursor(memberships.createdAt, memberships.id, query.cursor, "oldest"),
      ),
    )
    .orderBy(...cursorOrder(memberships.createdAt, memberships.id, "oldest"))
    .limit(query.limit + 1);
  return { page: toPage(rows, query.limit, (row) => row.membership), relation };
}

async function loadMember(
  db: Executor,
  communityId: string,
  membershipId: string,
): Promise<MemberView> {
  const [row] = await db
    .select({ membership: memberships, account: accounts })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.id, membershipId), eq(memberships.communityId, communityId)))
    .for("update", { of: memberships });
  if (!row) throw new DomainError("member_not_found");
  return row;
}

/** Writes an admin's decision on a membership, with who decided, when and why. */
async function settleMembership(
  db: Executor,
  membershipId: string,
  decidedBy: Account,
  reason: string | undefined,
  outcome: { state: MembershipState; role?: MemberRole },
): Promise<Membership | undefined> {
  const [membership] = await db
    .update(memberships)
    .set({
      ...outcome,
      decisionReason: reason?.trim() ?? "",
      decidedById: decidedBy.id,
      decidedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(eq(memberships.id, membershipId))
    .returning();
  return membership;
}

/** Approves or rejects a pending request; the requester is told by e-mail. */
export async function decideJoinRequest(
  deps: Deps,
  ref: string,
  viewer: Account,
  membershipId: string,
  decision: "approve" | "reject",
  reason: string | undefined,
): Promise<MemberView> {
  const { community } = await administerCommunity(deps, ref, viewer);
  const decided = await deps.db.transaction(async (tx) => {
    const member = await loadMember(tx, community.id, membershipId);
    if (member.membership.state !== "pending") throw new DomainError("already_decided");
    if (decision === "approve" && community.archived) throw new DomainError("community_archived");
    const membership = await settleMembership(tx, membershipId, viewer, reason, {
      state: decision === "approve" ? "active" : "rejected",
    });
    await recordDecision(tx, {
      communityId: community.id,
      actorId: viewer.id,
      action: decision === "approve" ? "request_approved" : "request_rejected",
      targetAccountId: member.account.id,
      details: withReason(reason),
    });
    if (member.account.domain) {
      await deps.federation.publish(tx, { type: "join_decided", membershipId });
    }
    const approved = decision === "approve";
    await noticeOfDecision(
      tx,
      community,
      member.account,
      membershipId,
      approved,
      viewer.id,
      reason,
    );
    return { membership: membership ?? member.membership, account: member.account };
  });
  await mailOfDecision(deps, community, decided.account, decision === "approve", reason);
  return decided;
}

/** The in-app notice of a decision on a request to join, here or on the community's server. */
async function noticeOfDecision(
  tx: Executor,
  community: Community,
  account: Account,
  membershipId: string,
  approved: boolean,
  decidedById: string | null,
  reason: string | undefined,
) {
  await notify(tx, {
    accountId: account.id,
    kind: approved ? "join_approved" : "join_rejected",
    communityId: community.id,
    subjectId: membershipId,
    actorId: decidedById,
    data: { community: refOf(community), reason: reason?.trim() ?? "" },
  });
}

/** The e-mail of that decision, to people of this server (others have no address here). */
async function mailOfDecision(
  deps: Deps,
  community: Community,
  account: Account,
  approved: boolean,
  reason: string | undefined,
) {
  const link = new URL(`/c/${refOf(community)}`, deps.config.publicUrl).href;
  await sendMailQuietly(
    deps,
    composeMail(
      approved ? "request_approved" : "request_rejected",
      account,
      {
        community: community.name,
        reason: reason?.trim() || "—",
        instance: deps.config.publicUrl.host,
      },
      link,
    ),
  );
}

/** Checks that `actor` may act on `target` (and, for role changes, grant `newRole`). */
function assertMayManage(
  actor: Relation,
  actorId: string,
  target: MemberView,
  newRole?: MemberRole,
): void {
  const themselves = target.account.id === actorId;
  const refusal = whyMayNotManage(actor, { themselves, role: target.membership.role }, newRole);
  if (refusal) throw new DomainError(refusal);
}

export async function changeRole(
  deps: Deps,
  ref: string,
  viewer: Account,
  membershipId: string,
  role: MemberRole,
): Promise<MemberView> {
  const { community, relation } = await administerCommunity(deps, ref, viewer);
  return deps.db.transaction(async (tx) => {
    const member = await loadMember(tx, community.id, membershipId);
    if (member.membership.state !== "active") throw new DomainError("member_not_found");
    assertMayManage(relation, viewer.id, member, role);
    if (role !== "owner") await assertNotLastOwner(tx, member.membership);
    const [membership] = await tx
      .update(memberships)
      .set({ role, updatedAt: new Date() })
      .where(eq(memberships.id, membershipId))
      .returning();
    await recordDecision(tx, {
      communityId: community.id,
      actorId: viewer.id,
      action: "role_changed",
      targetAccountId: member.account.id,
      details: { from: member.membership.role, to: role },
    });
    return { membership: membership ?? member.membership, account: member.account };
  });
}

/** Removal and bans reach the person's own server, which then stops showing them anything. */
async function publishDropped(
  deps: Deps,
  tx: Executor,
  community: Community,
  member: MemberView,
  reason: "removed" | "banned",
): Promise<void> {
  if (!member.account.domain) return;
  await deps.federation.publish(tx, {
    type: "member_dropped",
    communityId: community.id,
    accountId: member.account.id,
    followUri: member.membership.followUri,
    reason,
  });
}

/** Bans a person: they leave the community and its working groups and cannot ask again. */
export async function banMember(
  deps: Deps,
  ref: string,
  viewer: Account,
  membershipId: string,
  reason: string | undefined,
): Promise<MemberView> {
  const { community, relation } = await administerCommunity(deps, ref, viewer);
  return deps.db.transaction(async (tx) => {
    const member = await loadMember(tx, community.id, membershipId);
    if (member.membership.state === "banned") return member;
    assertMayManage(relation, viewer.id, member);
    await assertNotLastOwner(tx, member.membership);
    const membership = await settleMembership(tx, membershipId, viewer, reason, {
      state: "banned",
      role: "member",
    });
    await dropWithWorkingGroups(tx, community, member.account.id, true);
    await publishDropped(deps, tx, community, member, "banned");
    await recordDecision(tx, {
      communityId: community.id,
      actorId: viewer.id,
      action: "member_banned",
      targetAccountId: member.account.id,
      details: withReason(reason),
    });
    return { membership: membership ?? member.membership, account: member.account };
  });
}

/** Removes a member (or lifts a ban, letting the person ask again), saying why in the log. */
export async function removeMember(
  deps: Deps,
  ref: string,
  viewer: Account,
  membershipId: string,
  reason: string | undefined,
): Promise<void> {
  const { community, relation } = await administerCommunity(deps, ref, viewer);
  await deps.db.transaction(async (tx) => {
    const member = await loadMember(tx, community.id, membershipId);
    assertMayManage(relation, viewer.id, member);
    await assertNotLastOwner(tx, member.membership);
    await dropWithWorkingGroups(tx, community, member.account.id);
    if (member.membership.state !== "banned") {
      await publishDropped(deps, tx, community, member, "removed");
    }
    await recordDecision(tx, {
      communityId: community.id,
      actorId: viewer.id,
      action: member.membership.state === "banned" ? "member_unbanned" : "member_removed",
      targetAccountId: member.account.id,
      details: withReason(reason),
    });
  });
}
