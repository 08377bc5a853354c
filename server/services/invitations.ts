import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { type Community, communities } from "../../db/schema/communities.ts";
import { type Invitation, invitations } from "../../db/schema/invitations.ts";
import type { Membership } from "../../db/schema/memberships.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { composeMail } from "../mail/compose.ts";
import { afterCursor, cursorOrder, type PageRequest, toPage } from "../pagination.ts";
import { refOf } from "../urls.ts";
import { assertInstanceAdmin } from "./accounts.ts";
import { recordDecision } from "./audit.ts";
import { administerCommunity, relationOf } from "./communities.ts";
import { sendMailQuietly } from "./mail.ts";
import { admit } from "./membership.ts";
import { localAccountNamed } from "./names.ts";
import { notify } from "./notifications.ts";
import { isActive } from "./privacy.ts";
import { signToken, verifyToken } from "./tokens.ts";

const invitationLifetimeMs = 14 * 24 * 60 * 60 * 1000;

export interface InvitationView {
  invitation: Invitation;
  community: Community | null;
}

function invitationLink(deps: Deps, token: string): string {
  return new URL(`/invitations/${token}`, deps.config.publicUrl).href;
}

async function mailInvitation(
  deps: Deps,
  invitation: Invitation,
  inviter: Account,
  community: Community | null,
): Promise<void> {
  if (!invitation.email) return;
  const token = await signToken(
    deps.config.secretKey,
    "invitation",
    { sub: invitation.id },
    invitation.expiresAt,
  );
  const [known] = await deps.db
    .select({ locale: accounts.locale })
    .from(accounts)
    .where(sql`lower(${accounts.email}) = lower(${invitation.email})`);
  const recipient = { email: invitation.email, locale: known?.locale ?? inviter.locale };
  const params = {
    inviter: inviter.displayName || inviter.username,
    community: community?.name ?? "",
    instance: deps.config.publicUrl.host,
  };
  const kind = community ? "community_invitation" : "instance_invitation";
  await sendMailQuietly(deps, composeMail(kind, recipient, params, invitationLink(deps, token)));
}

/** Stores an invitation to a community and logs it as the inviter's decision. */
async function recordInvitation(
  tx: Executor,
  community: Community,
  inviter: Account,
  invitee: { email: string } | { handle: string },
  inviteeAccountId: string | undefined,
): Promise<Invitation> {
  const [created] = await tx
    .insert(invitations)
    .values({
      communityId: community.id,
      invitedById: inviter.id,
      ...invitee,
      expiresAt: new Date(Date.now() + invitationLifetimeMs),
    })
    .returning();
  if (!created) throw new Error("invitation insert returned nothing");
  await recordDecision(tx, {
    communityId: community.id,
    actorId: inviter.id,
    action: "invitation_sent",
    targetAccountId: inviteeAccountId,
    details: invitee,
  });
  return created;
}

/** Sends a signed, single-use link that lets its holder join the community. */
export async function inviteByEmail(
  deps: Deps,
  ref: string,
  viewer: Account,
  email: string,
): Promise<InvitationView> {
  const { community } = await administerCommunity(deps, ref, viewer);
  if (community.archived) throw new DomainError("community_archived");
  const invitation = await deps.db.transaction(async (tx) => {
    const [invitee] = await tx
      .select({ id: accounts.id })
      .from(accounts)
      .where(sql`lower(${accounts.email}) = lower(${email})`);
    if (invitee && isActive(await relationOf(tx, community.id, invitee.id))) {
      throw new DomainError("already_member");
    }
    return recordInvitation(tx, community, viewer, { email }, invitee?.id);
  });
  await mailInvitation(deps, invitation, viewer, community);
  return { invitation, community };
}

/** Splits `@name@host`, `name@host` or `name` into its parts; no host means this instance. */
export function parseHandle(
  deps: Deps,
  handle: string,
): { name: string; host: string; local: boolean } {
  const match = /^@?([^@\s]+)(?:@([^@\s]+))?$/.exec(handle.trim());
  if (!match?.[1]) throw new DomainError("invalid_input", { field: "handle" });
  const host = (match[2] ?? deps.config.publicUrl.host).toLowerCase();
  return { name: match[1], host, local: host === deps.config.publicUrl.host.toLowerCase() };
}

/**
 * Pre-approves a fediverse account: it is marked invited (its join is accepted at once) and
 * told, here in the app or, for a person elsewhere, by an Invite to their own server, which
 * also lets them see a hidden community. A handle no server answers for yet is remembered
 * for when its Follow arrives.
 */
export async function inviteByHandle(
  deps: Deps,
  ref: string,
  viewer: Account,
  handle: string,
): Promise<InvitationView> {
  const { community } = await administerCommunity(deps, ref, viewer);
  if (community.archived) throw new DomainError("community_archived");
  const { name, host, local } = parseHandle(deps, handle);
  const remote = local ? null : await deps.federation.resolveActor(name, host);
  const invitation = await deps.db.transaction(async (tx) => {
    const invitee = local
      ? (await tx.select().from(accounts).where(localAccountNamed(name)))[0]
      : remote?.kind === "account"
        ? remote.account
        : undefined;
    if (local && !invitee) throw new DomainError("account_not_found", { handle });
    if (invitee) await markInvited(deps, tx, community, invitee, viewer);
    return recordInvitation(
      tx,
      community,
      viewer,
      { handle: `${name.toLowerCase()}@${host}` },
      invitee?.id,
    );
  });
  return { invitation, community };
}

/** An account is invited: a local one hears of it in the app, a remote one's server by an Invite. */
async function markInvited(
  deps: Deps,
  tx: Executor,
  community: Community,
  invitee: Account,
  inviter: Account | null,
): Promise<void> {
  const relation = await relationOf(tx, community.id, invitee.id);
  if (isActive(relation)) throw new DomainError("already_member");
  if (relation?.state === "banned") throw new DomainError("banned");
  const membership = await admit(tx, community.id, invitee.id, { state: "invited" });
  if (invitee.domain) {
    await deps.federation.publish(tx, { type: "invited_elsewhere", membershipId: membership.id });
    return;
  }
  await notify(tx, {
    accountId: invitee.id,
    kind: "invitation",
    communityId: community.id,
    subjectId: membership.id,
    actorId: inviter?.id ?? null,
    data: { community: refOf(community) },
  });
}

/**
 * A community on another server invites a local person (its Invite): they are told here and
 * may now see it, hidden or not, and join it from here.
 */
export async function receiveInvitation(
  deps: Deps,
  community: Community,
  invitee: Account,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const relation = await relationOf(tx, community.id, invitee.id);
    // Someone who already asked is admitted by the hub's answer: the Invite changes nothing.
    if (relation && relation.state !== "rejected") return;
    await markInvited(deps, tx, community, invitee, null);
  });
}

/** An invitation to register on an invite-only instance, sent by its administrator. */
export async function inviteToInstance(
  deps: Deps,
  viewer: Account,
  email: string,
): Promise<InvitationView> {
  assertInstanceAdmin(viewer);
  const [invitation] = await deps.db
    .insert(invitations)
    .values({
      invitedById: viewer.id,
      email,
      expiresAt: new Date(Date.now() + invitationLifetimeMs),
    })
    .returning();
  if (!invitation) throw new Error("invitation insert returned nothing");
  await mailInvitation(deps, invitation, viewer, null);
  return { invitation, community: null };
}

async function invitationIdOf(deps: Deps, token: string): Promise<string> {
  const verified = await verifyToken(deps.config.secretKey, "invitation", token);
  if (verified.status === "expired") throw new DomainError("invitation_expired");
  if (verified.status === "invalid") throw new DomainError("invitation_not_found");
  return verified.sub;
}

async function loadInvitation(db: Executor, id: string, lock: boolean): Promise<InvitationView> {
  const query = db
    .select({ invitation: invitations, community: communities })
    .from(invitations)
    .leftJoin(communities, eq(communities.id, invitations.communityId))
    .where(eq(invitations.id, id));
  const [row] = lock ? await query.for("update", { of: invitations }) : await query;
  if (!row) throw new DomainError("invitation_not_found");
  return row;
}

function assertRedeemable(invitation: Invitation): void {
  if (invitation.usedAt) throw new DomainError("invitation_used");
  if (invitation.expiresAt.getTime() <= Date.now()) throw new DomainError("invitation_expired");
}

export interface InvitationPreview extends InvitationView {
  inviter: Account;
}

/** What an invitation link offers and who sent it, for the page that asks its holder to accept. */
export async function previewInvitation(deps: Deps, token: string): Promise<InvitationPreview> {
  const view = await loadInvitation(deps.db, await invitationIdOf(deps, token), false);
  assertRedeemable(view.invitation);
  const [inviter] = await deps.db
    .select()
    .from(accounts)
    .where(eq(accounts.id, view.invitation.invitedById));
  // Deleting an account deletes the invitations it sent.
  if (!inviter) throw new DomainError("invitation_not_found");
  return { ...view, inviter };
}

async function markUsed(db: Executor, invitation: Invitation, account: Account): Promise<void> {
  const used = await db
    .update(invitations)
    .set({ usedAt: new Date(), usedById: account.id })
    .where(and(eq(invitations.id, invitation.id), isNull(invitations.usedAt)))
    .returning({ id: invitations.id });
  if (used.length === 0) throw new DomainError("invitation_used");
}

async function joinByInvitation(
  db: Executor,
  community: Community,
  account: Account,
): Promise<Membership> {
  if (community.archived) throw new DomainError("community_archived");
  const relation = await relationOf(db, community.id, account.id);
  if (relation?.state === "banned") throw new DomainError("banned");
  if (community.parentId && !isActive(await relationOf(db, community.parentId, account.id))) {
    throw new DomainError("parent_membership_required");
  }
  return admit(db, community.id, account.id, { state: "active" });
}

/** Redeems a community invitation link for a signed-in person. */
export async function acceptInvitation(
  deps: Deps,
  token: string,
  viewer: Account,
): Promise<InvitationView> {
  const id = await invitationIdOf(deps, token);
  return deps.db.transaction(async (tx) => {
    const view = await loadInvitation(tx, id, true);
    assertRedeemable(view.invitation);
    if (!view.community) throw new DomainError("invitation_not_found");
    await joinByInvitation(tx, view.community, viewer);
    await markUsed(tx, view.invitation, viewer);
    return view;
  });
}

/**
 * Uses an invitation while registering: it opens an invite-only instance and, for a
 * community invitation, makes the new account a member (or, for a working group whose
 * parent they have not joined yet, invited).
 */
export async function redeemInvitationForRegistration(
  tx: Executor,
  deps: Deps,
  token: string,
  account: Account,
): Promise<void> {
  const view = await loadInvitation(tx, await invitationIdOf(deps, token), true);
  assertRedeemable(view.invitation);
  await markUsed(tx, view.invitation, account);
  if (!view.community) return;
  if (view.community.archived) return;
  await admit(tx, view.community.id, account.id, {
    state: view.community.parentId ? "invited" : "active",
  });
}

/** The instance administrator's invitations to register here, not yet used, newest first. */
export async function listInstanceInvitations(deps: Deps, viewer: Account, page: PageRequest) {
  assertInstanceAdmin(viewer);
  const rows = await deps.db
    .select()
    .from(invitations)
    .where(
      and(
        isNull(invitations.communityId),
        isNull(invitations.usedAt),
        afterCursor(invitations.createdAt, invitations.id, page.cursor),
      ),
    )
    .orderBy(...cursorOrder(invitations.createdAt, invitations.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, (row) => row);
}
