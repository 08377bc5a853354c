import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accounts } from "../../db/schema/accounts.ts";
import { communities } from "../../db/schema/communities.ts";
import { comments, posts } from "../../db/schema/posts.ts";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";

/** The one row a query gave. */
function only<T>([row]: T[]): T {
  if (!row) throw new Error("no row");
  return row;
}

describe("NodeInfo usage", () => {
  let praxis: TestInstance;
  let owner: Person;

  const usage = async () => (await praxis.request("GET", "/nodeinfo/2.1")).body.usage;

  const thread = async (slug: string, title: string) =>
    (
      await praxis.request("POST", `/api/v1/communities/${slug}/discussions`, {
        token: owner.token,
        body: { title, content: `${title}, in words` },
      })
    ).body.id as string;

  const reply = async (postId: string) =>
    (
      await praxis.request("POST", `/api/v1/posts/${postId}/comments`, {
        token: owner.token,
        body: { content: "A reply" },
      })
    ).body.id as string;

  beforeAll(async () => {
    praxis = await startTestInstance();
    owner = await praxis.signUp("counted_owner");
    for (const privacy of ["open", "private"]) {
      await praxis.request("POST", "/api/v1/communities", {
        token: owner.token,
        body: { slug: `${privacy}-room`, name: privacy, privacy },
      });
    }
  });
  afterAll(() => praxis.close());

  it("starts at zero on a fresh instance", async () => {
    expect(await usage()).toMatchObject({ localPosts: 0, localComments: 0 });
  });

  it("counts the posts and comments written here, members-only ones included, deleted ones not", async () => {
    const open = await thread("open-room", "Open thread");
    const privateThread = await thread("private-room", "Members' thread");
    const doomed = await thread("open-room", "Soon gone");
    await reply(open);
    await reply(privateThread);
    const doomedReply = await reply(open);
    expect(
      (await praxis.request("DELETE", `/api/v1/posts/${doomed}`, { token: owner.token })).status,
    ).toBe(204);
    expect(
      (await praxis.request("DELETE", `/api/v1/comments/${doomedReply}`, { token: owner.token }))
        .status,
    ).toBe(204);

    // What a person on another server wrote in a local community is that server's to count.
    const { db } = praxis.deps;
    const community = only(
      await db.select().from(communities).where(eq(communities.slug, "open-room")),
    );
    const stranger = only(
      await db
        .insert(accounts)
        .values({
          username: "stranger",
          domain: "elsewhere.example",
          uri: "https://elsewhere.example/users/stranger",
          inbox: "https://elsewhere.example/users/stranger/inbox",
        })
        .returning(),
    );
    const relayed = only(
      await db
        .insert(posts)
        .values({
          communityId: community.id,
          authorId: stranger.id,
          kind: "discussion",
          uri: "https://elsewhere.example/posts/1",
          title: "Relayed",
          source: "Relayed",
          content: "<p>Relayed</p>",
          language: "en",
        })
        .returning(),
    );
    await db.insert(comments).values({
      postId: open,
      authorId: stranger.id,
      uri: "https://elsewhere.example/comments/1",
      source: "From afar",
      content: "<p>From afar</p>",
      language: "en",
    });
    await reply(relayed.id);

    expect(await usage()).toMatchObject({
      users: { total: 1 },
      localPosts: 2,
      localComments: 3,
    });
  });
});
