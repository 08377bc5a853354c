import type { Community } from "../../db/schema/communities.ts";
import type { MemberRole, Membership } from "../../db/schema/memberships.ts";

/** What a viewer's relation to a community is, as far as privacy rules care. */
export type Relation = Pick<Membership, "state" | "role"> | null;

/** The relation a row joined with the viewer's membership gives: null when there is none. */
export function relationFrom(row: {
  state: Membership["state"] | null;
  role: Membership["role"] | null;
}): Relation {
  return row.state && row.role ? { state: row.state, role: row.role } : null;
}

const roleRank: Record<MemberRole, number> = { owner: 3, admin: 2, moderator: 1, member: 0 };

export function isActive(relation: Relation): boolean {
  return relation?.state === "active";
}

export function hasRoleAtLeast(relation: Relation, role: MemberRole): boolean {
  return isActive(relation) && relation !== null && roleRank[relation.role] >= roleRank[role];
}

export function outranks(role: MemberRole, other: MemberRole): boolean {
  return roleRank[role] > roleRank[other];
}

export function isCommunityAdmin(relation: Relation): boolean {
  return hasRoleAtLeast(relation, "admin");
}

/** Whether the community itself (its About page, its existence) may be shown. */
export function canSeeCommunity(community: Pick<Community, "hidden">, relation: Relation): boolean {
  if (!community.hidden) return true;
  return relation !== null && ["active", "invited", "pending"].includes(relation.state);
}

/** Whether the community's content and member list may be read. */
export function canReadContent(
  community: Pick<Community, "hidden" | "privacy">,
  relation: Relation,
): boolean {
  if (!canSeeCommunity(community, relation)) return false;
  return community.privacy === "open" || isActive(relation);
}
