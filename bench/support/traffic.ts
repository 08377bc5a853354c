import type { RawRequest } from "autocannon";
import { sql } from "drizzle-orm";
import { type Person, type Requester, signUpWith } from "../../test/support/client.ts";
import type { BenchDatabase } from "./database.ts";

export interface Traffic {
  publicFeeds: string[];
  privateFeeds: string[];
  threads: string[];
  writers: Person[];
}

const communities = 100;
const postsEach = 100;

/**
 * 100 communities (every fifth private) of 100 threads each, and 20 people who belong to all
 * of them: the API signs them up, SQL writes the rest.
 */
export async function seedTraffic(database: BenchDatabase, request: Requester): Promise<Traffic> {
  const writers: Person[] = [];
  for (let n = 0; n < 20; n++) writers.push(await signUpWith(request, `writer${n}`));
  const db = database.db;
  await db.execute(sql`
    insert into communities (slug, name, privacy)
    select 'c' || i, 'Community ' || i,
           case when i % 5 = 0 then 'private'::privacy_level else 'open'::privacy_level end
    from generate_series(1, ${communities}) as i`);
  // Their names, as creating them through the API claims: federation finds actors by name.
  await db.execute(sql`
    insert into actor_names (name, community_id)
    select slug, id from communities where slug like 'c%'`);
  await db.execute(sql`
    insert into memberships (community_id, account_id, role, state)
    select c.id, a.id, case when a.username = 'writer0' then 'owner' else 'member' end::member_role,
           'active'
    from communities c, accounts a where c.slug like 'c%' and a.username like 'writer%'`);
  const paragraph =
    "Households reached within nine days of the flood, thanks to the social registry. ";
  await db.execute(sql`
    insert into posts (community_id, author_id, kind, title, source, content, language)
    select c.id, (select id from accounts where username = 'writer0'), 'discussion',
           'Thread ' || n || ' in ' || c.name, repeat(${paragraph}, 8),
           '<p>' || repeat(${paragraph}, 8) || '</p>', 'en'
    from communities c, generate_series(1, ${postsEach}) as n where c.slug like 'c%'`);
  await db.execute(sql`analyze`);
  const threads = await db.execute<{ id: string }>(sql`select id from posts`);
  const slugs = Array.from({ length: communities }, (_, i) => i + 1);
  const feed = (i: number) => `/api/v1/communities/c${i}/discussions?limit=20`;
  return {
    publicFeeds: slugs.filter((i) => i % 5 !== 0).map(feed),
    privateFeeds: slugs.filter((i) => i % 5 === 0).map(feed),
    threads: threads.map(({ id }) => `/api/v1/posts/${id}`),
    writers,
  };
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

const asMember = (traffic: Traffic) => ({
  authorization: `Bearer ${pick(traffic.writers).token}`,
});

const threadRead = (traffic: Traffic): RawRequest => ({
  method: "GET",
  path: pick(traffic.threads),
  headers: asMember(traffic),
});

const reply = (traffic: Traffic): RawRequest => ({
  method: "POST",
  path: `${pick(traffic.threads)}/comments`,
  headers: { ...asMember(traffic), "content-type": "application/json" },
  body: JSON.stringify({ content: "Same here: the registry made the difference." }),
});

/** 80% reads (a community's feed, a thread) and 20% writes (a reply), as members. */
export function mixedRequests(traffic: Traffic): () => RawRequest {
  const feeds = [...traffic.publicFeeds, ...traffic.privateFeeds];
  return () => {
    const roll = Math.random();
    if (roll < 0.4) return { method: "GET", path: pick(feeds), headers: asMember(traffic) };
    return roll < 0.8 ? threadRead(traffic) : reply(traffic);
  };
}

/** Threads read by members, one kind of request of the mix alone. */
export const threadReads = (traffic: Traffic) => () => threadRead(traffic);

/** Replies by members, the mix's writes alone. */
export const replies = (traffic: Traffic) => () => reply(traffic);

/** Reads of one kind of feed only, as a member. */
export function feedReads(traffic: Traffic, feeds: readonly string[]): () => RawRequest {
  return () => ({ method: "GET", path: pick(feeds), headers: asMember(traffic) });
}

/** The floor's reads: a post by its primary key, on the floor server's path of a thread. */
export function floorReads(traffic: Traffic): () => RawRequest {
  return () => ({ method: "GET", path: pick(traffic.threads) });
}
