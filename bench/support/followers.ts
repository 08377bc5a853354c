import type { BenchDatabase } from "./database.ts";
import type { Sink } from "./sink.ts";

export const servers = 500;
export const withSharedInbox = 450;
export const followersEach = 20;

/**
 * 20 followers of the community on each of the sink's 500 servers, the first 450 of which
 * have a shared inbox: 10,000 people, 1,450 inboxes to deliver to.
 */
export async function seedFollowers(
  database: BenchDatabase,
  sink: Sink,
  communityId: string,
): Promise<void> {
  const { sql } = database;
  const origins = sink.instances.map((instance) => instance.origin);
  const hosts = sink.instances.map((instance) => instance.host);
  const shared = sink.instances.map((_, index) => index < withSharedInbox);
  await sql`
    with servers as (
      select * from unnest(${sql.array(origins)}::text[], ${sql.array(hosts)}::text[],
                           ${sql.array(shared)}::boolean[]) as s(origin, host, shared)),
    people as (
      insert into accounts (username, domain, uri, inbox, shared_inbox, state, email_notifications)
      select 'reader' || n, s.host, s.origin || '/users/reader' || n,
             s.origin || '/users/reader' || n || '/inbox',
             case when s.shared then s.origin || '/inbox' end, 'active', 'none'
      from servers s, generate_series(1, ${followersEach}) as n
      returning id)
    insert into memberships (community_id, account_id, role, state)
    select ${communityId}, id, 'member', 'active' from people`;
}
