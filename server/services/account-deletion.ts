import { and, asc, eq, isNull, notInArray, sql } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { communities } from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import { comments, posts } from "../../db/schema/posts.ts";
import type { Deps } from "../deps.ts";
import { isLocale, translator } from "../i18n.ts";
import { dropAccountLinks } from "./account-links.ts";
import { confirmPassword } from "./accounts.ts";
import { tombstoneComment } from "./comments.ts";
import { endMembershipIn } from "./membership.ts";
import { tombstonePost } from "./posts.ts";
import { closeOtherSessions } from "./sessions.ts";

/** What becomes of what the person wrote: kept under a deleted person's name, or deleted. */
export const contentChoices = ["anonymise", "delete"] as const;
export type ContentChoice = (typeof contentChoices)[number];

/** The name a deleted person's kept writing goes by, in the language they used here. */
function deletedPersonName(account: Account): string {
  return translator(
    isLocale(account.locale) ? account.locale : "en",
    "pages",
  )("deletedAccount.name");
}

/** Every community the person belongs to or asked to join, working groups before their parents. */
async function communitiesToLeave(tx: Executor, accountId: string) {
  return tx
    .select({ community: communities })
    .from(memberships)
    .innerJoin(communities, eq(communities.id, memberships.communityId))
    .where(
      and(
        eq(memberships.accountId, accountId),
        notInArray(memberships.state, ["banned", "rejected"]),
      ),
    )
    .orderBy(sql`${communities.parentId} is null`, asc(communities.id));
}

/** Tombstones the person's posts and comments by the paths a deletion by them takes. */
async function deleteWritingOf(deps: Deps, tx: Executor, accountId: string): Promise<void> {
  const written = await tx
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.authorId, accountId), isNull(posts.deletedAt)));
  for (const { id } of written) await tombstonePost(deps, tx, id, accountId);
  const replies = await tx
    .select({ id: comments.id })
    .from(comments)
    .where(and(eq(comments.authorId, accountId), isNull(comments.deletedAt)));
  for (const { id } of replies) await tombstoneComment(deps, tx, id, accountId);
}

/**
 * Deletes the signed-in person's account, in one transaction: their writing is deleted or
 * kept as they chose, they leave every community (a last owner is refused, as when leaving
 * one), and the account is emptied: no address, no password, no profile, no session. Its row
 * and name stay, so that no one can sign up as them; other servers hear a Delete of the person.
 */
export async function deleteAccount(
  deps: Deps,
  account: Account,
  request: { password: string; content: ContentChoice },
  client: string,
): Promise<void> {
  await confirmPassword(deps, account, request.password, client);
  await deps.db.transaction(async (tx) => {
    const known = await tx
      .selectDistinct({ id: memberships.communityId })
      .from(memberships)
      .where(eq(memberships.accountId, account.id));
    if (request.content === "delete") await deleteWritingOf(deps, tx, account.id);
    for (const { community } of await communitiesToLeave(tx, account.id)) {
      await endMembershipIn(tx, deps, community, account);
    }
    const now = new Date();
    await tx
      .update(accounts)
      .set({
        email: null,
        passwordHash: null,
        displayName: deletedPersonName(account),
        profession: "",
        country: "",
        organisation: "",
        emailNotifications: "none",
        isAdmin: false,
        deletedAt: now,
        updatedAt: now,
      })
      .where(eq(accounts.id, account.id));
    await closeOtherSessions(tx, account.id);
    await dropAccountLinks(tx, account.id);
    await deps.federation.publish(tx, {
      type: "account_deleted",
      accountId: account.id,
      communityIds: known.map(({ id }) => id),
    });
  });
}
