import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinFromMastodon, openCommonsWithThread } from "../support/commons.ts";
import {
  type FakeAccount,
  type FakePeer,
  fixture,
  mastodonReply,
  startFakeMastodon,
} from "../support/fake-peer.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";

/**
 * Deliveries arrive in any order: a Delete may come before the Create of what it deletes.
 * Once someone entitled to has deleted an object, nothing that comes later brings it back.
 */
describe("deleted objects", () => {
  let hub: Peer;
  let mastodon: FakePeer;
  let elsewhere: FakePeer;
  let felix: FakeAccount;
  let eve: FakeAccount;
  let threadUri: string;
  let threadId: string;

  const group = () => `${hub.origin}/actors/commons`;

  /** Mastodon's own reply (fixture) from `account`, to the thread. */
  const reply = (account: FakeAccount, n: number, content: string) =>
    mastodonReply(account, n, { inReplyTo: threadUri, content, cc: [group()] });

  /** Mastodon's own Delete (fixture) of `objectId`, sent by `account`. */
  function deletion(account: FakeAccount, objectId: string) {
    const { signature: _, ...deleted } = fixture("mastodon/activities/delete.json");
    return {
      ...deleted,
      id: `${objectId}#delete`,
      actor: account.id,
      object: { id: objectId, type: "Tombstone", atomUri: objectId },
    };
  }

  async function comments(): Promise<string[]> {
    const answer = await hub.request("GET", `/api/v1/posts/${threadId}/comments`);
    return answer.body.items.map((comment: { content: string }) => comment.content);
  }

  /** Sends a reply after the others and waits for it: what came before has been handled. */
  async function afterTheRest(n: number) {
    const marker = `Marker ${n}`;
    await mastodon.post(`${hub.origin}/inbox`, reply(felix, n, marker), felix);
    return eventually(
      comments,
      (items) => items.some((content) => content.includes(marker)),
      marker,
      [hub],
    );
  }

  beforeAll(async () => {
    [hub, mastodon, elsewhere] = await Promise.all([
      startPeer("127.0.0.40"),
      startFakeMastodon("127.0.0.41"),
      startFakeMastodon("127.0.0.42"),
    ]);
    felix = await mastodon.account("felix");
    eve = await elsewhere.account("eve");
    const commons = await openCommonsWithThread(hub, {
      title: "Cash plus",
      content: "What did you pair with the transfers?",
    });
    threadUri = commons.thread.uri;
    threadId = commons.thread.id;
    await joinFromMastodon(mastodon, felix, group(), hub);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), mastodon?.close(), elsewhere?.close()]);
    await killLaunched();
  });

  it("ignores a Create that arrives after the Delete of its object", async () => {
    const early = reply(felix, 1, "Written, then deleted");
    expect(
      (await mastodon.post(`${hub.origin}/inbox`, deletion(felix, early.object.id), felix)).status,
    ).toBe(202);
    await afterTheRest(2);
    expect((await mastodon.post(`${hub.origin}/inbox`, early, felix)).status).toBe(202);
    const items = await afterTheRest(3);
    expect(items.some((content) => content.includes("Written, then deleted"))).toBe(false);
  });

  it("ignores a Create delivered at the same moment as the Delete of its object", async () => {
    const replies = Array.from({ length: 20 }, (_, i) => reply(felix, 100 + i, `Raced ${i}`));
    await Promise.all(
      replies.flatMap((created) => [
        mastodon.post(`${hub.origin}/inbox`, deletion(felix, created.object.id), felix),
        mastodon.post(`${hub.origin}/inbox`, created, felix),
      ]),
    );
    const items = await afterTheRest(6);
    expect(items.filter((content) => content.includes("Raced"))).toEqual([]);
  });

  it("keeps a Create whose object someone on another server claimed to delete", async () => {
    const claimed = reply(felix, 4, "Not eve's to delete");
    await elsewhere.post(`${hub.origin}/inbox`, deletion(eve, claimed.object.id), eve);
    await afterTheRest(5);
    await mastodon.post(`${hub.origin}/inbox`, claimed, felix);
    await eventually(
      comments,
      (items) => items.some((content) => content.includes("Not eve's to delete")),
      "felix's reply despite eve's Delete",
      [hub],
    );
  });
});
