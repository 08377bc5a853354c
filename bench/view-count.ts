/**
 * What counting a view costs (services/analytics/counting.ts countView, the path every counted
 * page, thread and file read takes), per call, beside a floor measured in the same run: a
 * plain prepared INSERT of one row through the same pool. Calls run one after another, so the
 * figures are latencies on an idle throwaway embedded PostgreSQL. Run: npm run bench:view-count
 */
import { sql } from "drizzle-orm";
import { loadConfig } from "../server/config.ts";
import { createDeps } from "../server/deps.ts";
import { countView, type Viewer } from "../server/services/analytics/counting.ts";
import { startBenchDatabase } from "./support/database.ts";
import { report } from "./support/figures.ts";

const calls = 2_000;
const browser =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** Microseconds per call of `work(i)` over `calls` calls, after a warm-up of 100. */
async function perCall(work: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 100; i++) await work(calls + i);
  const started = performance.now();
  for (let i = 0; i < calls; i++) await work(i);
  return ((performance.now() - started) * 1000) / calls;
}

/** A different reader for each `i`: another address, so another mark. */
const reader = (i: number, accountId: string | null, round: string): Viewer => ({
  accountId,
  address: `10.${round}.${(i >> 8) & 255}.${i & 255}`,
  userAgent: browser,
});

const database = await startBenchDatabase();
try {
  const { db } = database;
  const deps = createDeps(
    loadConfig({ DATA_DIR: database.directory, LOG_LEVEL: "error" }),
    database.db,
  );
  const [owner] = await db.execute<{ id: string }>(
    sql`insert into accounts (username, email, password_hash) values ('bench', 'bench@example.org', 'x') returning id`,
  );
  const [community] = await db.execute<{ id: string }>(
    sql`insert into communities (slug, name, privacy) values ('commons', 'Commons', 'open') returning id`,
  );
  await db.execute(sql`insert into memberships (community_id, account_id, role, state)
    values (${community?.id}, ${owner?.id}, 'owner', 'active')`);
  const [post] = await db.execute<{ id: string }>(sql`insert into posts
    (community_id, author_id, kind, title, source, content, language)
    values (${community?.id}, ${owner?.id}, 'discussion', 'Thread', 'Text', '<p>Text</p>', 'en') returning id`);
  // A member is told apart by their account: one member for each call.
  const members = (
    await db.execute<{ id: string }>(sql`insert into accounts (username, email, password_hash)
      select 'member' || i, 'member' || i || '@example.org', 'x'
      from generate_series(1, ${calls + 100}) as i returning id`)
  ).map((row) => row.id);
  await db.execute(sql`insert into memberships (community_id, account_id, role, state)
    select ${community?.id}, id, 'member', 'active' from accounts where username like 'member%'`);
  await db.execute(sql`create table bench_floor (n integer not null)`);
  const thread = { kind: "post" as const, id: post?.id ?? "" };
  const page = { kind: "community" as const, id: community?.id ?? "" };

  const floor = await perCall((i) => database.sql`insert into bench_floor (n) values (${i})`);
  const signedOut = await perCall((i) => countView(deps, thread, reader(i, null, "1")));
  const communityPage = await perCall((i) => countView(deps, page, reader(i, null, "2")));
  // A member's read also marks them active (analytics_member_reads).
  const member = await perCall((i) => countView(deps, thread, reader(i, members[i] ?? null, "3")));
  // The same reader again the same day: told apart by the process's own marks, no query.
  const again = await perCall(() => countView(deps, thread, reader(0, null, "1")));

  const us = (value: number) => `${value.toFixed(0)} µs (${(value / floor).toFixed(1)}× floor)`;
  report(`Counting a view, ${calls.toLocaleString("en")} calls each, one at a time`, {
    "floor: prepared INSERT of one row, same pool": `${floor.toFixed(0)} µs`,
    "a thread read, signed out (new reader)": us(signedOut),
    "a community page read, signed out (new reader)": us(communityPage),
    "a thread read by a member (new reader, active-member mark)": us(member),
    "the same reader again that day (not counted)": `${again.toFixed(1)} µs`,
  });
} finally {
  await database.close();
}
