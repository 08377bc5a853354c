import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { type Community, communities, privacyLevels } from "../../db/schema/communities.ts";
import { fileDetails } from "../../db/schema/files.ts";
import { memberships } from "../../db/schema/memberships.ts";
import { posts } from "../../db/schema/posts.ts";
import { loadConfig } from "../../server/config.ts";
import { createDeps, type Deps } from "../../server/deps.ts";
import { DomainError } from "../../server/errors.ts";
import { listDirectory, viewCommunity } from "../../server/services/communities.ts";
import { viewPost } from "../../server/services/posts.ts";
import {
  canReadContent,
  canReadFile,
  canSeeCommunity,
  communitiesReadableBy,
  communitiesVisibleTo,
  isActive,
  isActiveMembership,
  postsReadableBy,
  type Relation,
} from "../../server/services/privacy.ts";
import { search } from "../../server/services/search.ts";
import { freshDatabase } from "../support/database.ts";

/*
 * Who may see what is decided twice: on records already loaded (viewing a community or a
 * post) and as SQL conditions (the directory, search). Both must give the same answer for
 * every privacy level × hidden × relation to the community, or a list shows what a page
 * refuses, or the other way round.
 */

const relations = ["none", "pending", "invited", "active", "rejected", "banned"] as const;
type RelationName = (typeof relations)[number];
const viewers = ["anonymous", ...relations] as const;
type ViewerName = (typeof viewers)[number];

const levels = privacyLevels.flatMap((privacy) =>
  [false, true].map((hidden) => ({ privacy, hidden })),
);

/** Each item's title word, shared by every community, so one search finds them all. */
const words = { thread: "kestrel", file: "ptarmigan", privateFile: "merganser" } as const;
type Item = keyof typeof words;

interface Fixture {
  community: Community;
  ids: Record<Item, string>;
}

describe("the privacy rule, on loaded records and in SQL", () => {
  let close: () => Promise<void>;
  let dataDir: string;
  let deps: Deps;
  const people = new Map<RelationName, Account>();
  const fixtures: Fixture[] = [];

  beforeAll(async () => {
    const database = await freshDatabase();
    close = database.close;
    dataDir = await mkdtemp(join(tmpdir(), "praxis-rule-"));
    const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: "http://praxis.test" });
    deps = createDeps(config, database.db);
    const author = await insertAccount("rule_author");
    for (const relation of relations) people.set(relation, await insertAccount(`rule_${relation}`));
    for (const { privacy, hidden } of levels) {
      const slug = `heron-${privacy.replace("_", "-")}${hidden ? "-hidden" : ""}`;
      const [community] = await deps.db
        .insert(communities)
        .values({ slug, name: `Heron ${slug}`, privacy, hidden })
        .returning();
      if (!community) throw new Error("community insert returned nothing");
      for (const [relation, person] of people) {
        if (relation === "none") continue;
        await deps.db
          .insert(memberships)
          .values({ communityId: community.id, accountId: person.id, state: relation });
      }
      const post = async (kind: "discussion" | "file", word: string) => {
        const [row] = await deps.db
          .insert(posts)
          .values({
            communityId: community.id,
            authorId: author.id,
            kind,
            title: `${word} notes`,
            source: "",
            content: "",
            language: "en",
          })
          .returning({ id: posts.id });
        if (!row) throw new Error("post insert returned nothing");
        return row.id;
      };
      const file = async (word: string, isPrivate: boolean) => {
        const id = await post("file", word);
        await deps.db.insert(fileDetails).values({
          postId: id,
          private: isPrivate,
          filename: `${word}.pdf`,
          mediaType: "application/pdf",
          size: 1,
          storageKey: id,
        });
        return id;
      };
      fixtures.push({
        community,
        ids: {
          thread: await post("discussion", words.thread),
          file: await file(words.file, false),
          privateFile: await file(words.privateFile, true),
        },
      });
    }
  });

  afterAll(async () => {
    await close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function insertAccount(username: string): Promise<Account> {
    const [account] = await deps.db.insert(accounts).values({ username }).returning();
    if (!account) throw new Error("account insert returned nothing");
    return account;
  }

  const viewerOf = (name: ViewerName) => (name === "anonymous" ? null : (people.get(name) ?? null));

  /** Whether a check on a loaded record lets the viewer through. */
  async function passes(check: () => Promise<unknown>): Promise<boolean> {
    try {
      await check();
      return true;
    } catch (error) {
      if (error instanceof DomainError) return false;
      throw error;
    }
  }

  /** What `relation` is for a viewer who holds the named state in every community. */
  const relationOf = (name: ViewerName): Relation =>
    name === "anonymous" || name === "none" ? null : { state: name, role: "member" };

  async function any(table: PgTable, where: SQL | undefined): Promise<boolean> {
    return (await deps.db.$count(table, where)) > 0;
  }

  async function found(viewer: Account | null, q: string): Promise<Set<string>> {
    return new Set((await search(deps, viewer, { q, limit: 100 })).items.map((hit) => hit.id));
  }

  for (const { privacy, hidden } of levels)
    for (const name of viewers)
      it(`${privacy}${hidden ? "+hidden" : ""} · ${name}: lists and searches agree with the checks`, async () => {
        const fixture = fixtures.find(
          ({ community }) => community.privacy === privacy && community.hidden === hidden,
        );
        if (!fixture) throw new Error("no community for this level");
        const { community, ids } = fixture;
        const viewer = viewerOf(name);
        const checks = {
          about: await passes(() => viewCommunity(deps, community.slug, viewer)),
          thread: await passes(() => viewPost(deps, ids.thread, viewer)),
          file: await passes(() => viewPost(deps, ids.file, viewer)),
          privateFile: await passes(() => viewPost(deps, ids.privateFile, viewer)),
        };
        const directory = await listDirectory(deps, viewer, { q: community.slug, limit: 100 });
        const conditions = {
          about: directory.items.some((item) => item.community.id === community.id),
          thread: (await found(viewer, words.thread)).has(ids.thread),
          file: (await found(viewer, words.file)).has(ids.file),
          privateFile: (await found(viewer, words.privateFile)).has(ids.privateFile),
        };
        expect(conditions).toEqual(checks);
        expect((await found(viewer, "heron")).has(community.id)).toBe(checks.about);

        // The rule itself, in both its forms.
        const relation = relationOf(name);
        const rule = {
          member: isActive(relation),
          about: canSeeCommunity(community, relation),
          content: canReadContent(community, relation),
          thread: canReadFile(community, null, relation),
          file: canReadFile(community, { private: false }, relation),
          privateFile: canReadFile(community, { private: true }, relation),
        };
        const thisCommunity = eq(communities.id, community.id);
        const post = (id: string) =>
          deps.db
            .select({ id: posts.id })
            .from(posts)
            .innerJoin(communities, eq(communities.id, posts.communityId))
            .where(and(eq(posts.id, id), postsReadableBy(viewer)))
            .then((rows) => rows.length > 0);
        const sqlForm = {
          member: viewer
            ? await any(
                memberships,
                and(
                  eq(memberships.communityId, community.id),
                  eq(memberships.accountId, viewer.id),
                  isActiveMembership,
                ),
              )
            : false,
          about: await any(communities, and(thisCommunity, communitiesVisibleTo(viewer))),
          content: await any(communities, and(thisCommunity, communitiesReadableBy(viewer))),
          thread: await post(ids.thread),
          file: await post(ids.file),
          privateFile: await post(ids.privateFile),
        };
        expect(sqlForm).toEqual(rule);
        const { about, thread, file, privateFile } = rule;
        expect(checks).toEqual({ about, thread, file, privateFile });
      });
});
