import { and, count, eq, isNotNull, isNull } from "drizzle-orm";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { coffeePairs, coffeeParticipants } from "../../db/schema/coffee.ts";
import { type Community, communities } from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { composeMail } from "../mail/compose.ts";
import { handleOf, refOf } from "../urls.ts";
import { groupForCoffee } from "./coffee-pairing.ts";
import { viewCommunity } from "./communities.ts";
import { sendMailQuietly } from "./mail.ts";
import { notify } from "./notifications.ts";
import {
  connectsPeopleIn,
  isActiveMembership,
  type Relation,
  seesProfileDetails,
} from "./privacy.ts";
import { claimScheduledRun, nextRun } from "./scheduled-runs.ts";

/** Its row in `scheduled_runs`: one claim covers every community's round. */
const coffeeJob = "coffee_round";

/** A person in a round, with what the introductions may tell of them. */
type Participant = Pick<
  Account,
  | "id"
  | "username"
  | "domain"
  | "displayName"
  | "email"
  | "locale"
  | "profession"
  | "organisation"
  | "country"
  | "profileAudience"
> & { relation: Relation };

/**
 * The opted-in people a community's round pairs: its active members with an account here
 * in good standing. People from other servers take part in rounds on their own server.
 */
function participantsOf(deps: Deps, communityId: string): Promise<Participant[]> {
  return deps.db
    .select({
      id: accounts.id,
      username: accounts.username,
      domain: accounts.domain,
      displayName: accounts.displayName,
      email: accounts.email,
      locale: accounts.locale,
      profession: accounts.profession,
      organisation: accounts.organisation,
      country: accounts.country,
      profileAudience: accounts.profileAudience,
      relation: { state: memberships.state, role: memberships.role },
    })
    .from(coffeeParticipants)
    .innerJoin(accounts, eq(accounts.id, coffeeParticipants.accountId))
    .innerJoin(
      memberships,
      and(
        eq(memberships.accountId, coffeeParticipants.accountId),
        eq(memberships.communityId, coffeeParticipants.communityId),
      ),
    )
    .where(
      and(
        eq(coffeeParticipants.communityId, communityId),
        isActiveMembership,
        isNull(accounts.domain),
        isNull(accounts.deletedAt),
        eq(accounts.state, "active"),
        isNotNull(accounts.email),
      ),
    );
}

/** Opens the community for the viewer's coffee, refusing anyone who takes no part there. */
async function coffeeCommunity(deps: Deps, ref: string, viewer: Account): Promise<Community> {
  const view = await viewCommunity(deps, ref, viewer);
  if (!connectsPeopleIn(view.community, view.relation)) throw new DomainError("members_only");
  return view.community;
}

/** Whether the viewer takes part in the community's rounds, how many do, and when the next is. */
export async function coffeeStatus(deps: Deps, ref: string, viewer: Account, now = new Date()) {
  const community = await coffeeCommunity(deps, ref, viewer);
  const participants = await participantsOf(deps, community.id);
  return {
    joined: participants.some((person) => person.id === viewer.id),
    participants: participants.length,
    nextRound: nextRun(deps.config.coffeeSchedule, now),
  };
}

export async function joinCoffee(deps: Deps, ref: string, viewer: Account) {
  const community = await coffeeCommunity(deps, ref, viewer);
  await deps.db
    .insert(coffeeParticipants)
    .values({ communityId: community.id, accountId: viewer.id })
    .onConflictDoNothing();
  return coffeeStatus(deps, ref, viewer);
}

export async function leaveCoffee(deps: Deps, ref: string, viewer: Account) {
  const community = await coffeeCommunity(deps, ref, viewer);
  await deps.db
    .delete(coffeeParticipants)
    .where(
      and(
        eq(coffeeParticipants.communityId, community.id),
        eq(coffeeParticipants.accountId, viewer.id),
      ),
    );
  return coffeeStatus(deps, ref, viewer);
}

const pairKey = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);

/** Every pair the community's past rounds made, whichever way round. */
async function pairsMetIn(deps: Deps, communityId: string): Promise<Set<string>> {
  const rows = await deps.db
    .select({ a: coffeePairs.aId, b: coffeePairs.bId })
    .from(coffeePairs)
    .where(eq(coffeePairs.communityId, communityId));
  return new Set(rows.map((row) => pairKey(row.a, row.b)));
}

/**
 * How one person is introduced to another: name and handle, what they do, where and in which
 * country only as their profile audience lets the reader see, and their profile's address.
 */
function introduction(deps: Deps, person: Participant, reader: Participant): string {
  const details = seesProfileDetails(person, reader, reader.relation)
    ? [person.profession, person.organisation, person.country].filter(Boolean).join(" · ")
    : "";
  const handle = handleOf(deps.config.publicUrl, person.username, person);
  const profile = new URL(`/@${person.username}`, deps.config.publicUrl).href;
  return [`• ${person.displayName || person.username} (${handle})`, details, profile]
    .filter(Boolean)
    .join("\n  ");
}

/** Tells each person of a group who the others are, in the app and by e-mail in their language. */
async function introduceGroup(deps: Deps, community: Community, group: Participant[]) {
  const link = new URL(`/c/${refOf(community)}`, deps.config.publicUrl).href;
  for (const reader of group) {
    const others = group.filter((person) => person.id !== reader.id);
    const [first] = others;
    if (!first) continue;
    await notify(deps.db, {
      accountId: reader.id,
      kind: "coffee_pairing",
      communityId: community.id,
      subjectId: first.id,
      actorId: first.id,
      data: {
        community: refOf(community),
        name: community.name,
        people: others
          .map((person) => handleOf(deps.config.publicUrl, person.username, person))
          .join(", "),
      },
    });
    const params = {
      community: community.name,
      count: String(others.length),
      people: others.map((person) => introduction(deps, person, reader)).join("\n\n"),
      instance: deps.config.publicUrl.host,
    };
    await sendMailQuietly(deps, composeMail("coffee_pairing", reader, params, link));
  }
}

/** One community's round: its groups, kept so later rounds avoid them, then introduced. */
async function pairCommunity(deps: Deps, community: Community, round: Date): Promise<number> {
  const people = await participantsOf(deps, community.id);
  const met = await pairsMetIn(deps, community.id);
  const groups = groupForCoffee(people, (a, b) => met.has(pairKey(a, b)));
  const pairs = groups.flatMap((group) =>
    group.flatMap((person, i) =>
      group.slice(i + 1).map((other) => {
        const [aId, bId] = [person.id, other.id].sort() as [string, string];
        return { communityId: community.id, aId, bId, round };
      }),
    ),
  );
  if (pairs.length > 0) await deps.db.insert(coffeePairs).values(pairs).onConflictDoNothing();
  for (const group of groups) await introduceGroup(deps, community, group);
  return groups.length;
}

/**
 * Once per round (COFFEE_SCHEDULE, UTC), however many workers ask: pairs the opted-in members
 * of each community hosted here at random and introduces them. Answers how many groups it made.
 */
export async function runCoffeeRounds(deps: Deps, now: Date): Promise<number> {
  const claimed = await claimScheduledRun(deps, coffeeJob, deps.config.coffeeSchedule, now);
  if (!claimed) return 0;
  const taking = await deps.db
    .select({ community: communities, people: count() })
    .from(coffeeParticipants)
    .innerJoin(communities, eq(communities.id, coffeeParticipants.communityId))
    .where(and(isNull(communities.domain), eq(communities.archived, false)))
    .groupBy(communities.id);
  let groups = 0;
  for (const { community, people } of taking) {
    if (people >= 2) groups += await pairCommunity(deps, community, claimed.due);
  }
  return groups;
}
