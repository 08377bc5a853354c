import type { Person } from "./client.ts";
import { type FakeAccount, type FakePeer, fixture } from "./fake-peer.ts";
import { eventually, type Peer } from "./peer.ts";

/** An open community `commons` on `hub`, its administrator, and one thread in it. */
export async function openCommonsWithThread(
  hub: Peer,
  thread: { title: string; content: string },
): Promise<{ admin: Person; thread: { id: string; uri: string } }> {
  const admin = await hub.signUp("hubadmin");
  await hub.request("POST", "/api/v1/communities", {
    token: admin.token,
    body: { slug: "commons", name: "Commons", summary: "", privacy: "open" },
  });
  const created = await hub.request("POST", "/api/v1/communities/commons/discussions", {
    token: admin.token,
    body: thread,
  });
  return { admin, thread: created.body };
}

/** `account` joins `group` with Mastodon's own Follow (fixture), once it is accepted. */
export async function joinFromMastodon(
  mastodon: FakePeer,
  account: FakeAccount,
  group: string,
  hub: Peer,
): Promise<void> {
  const follow = {
    ...fixture("mastodon/activities/follow.json"),
    id: `${account.id}#follows/1`,
    actor: account.id,
    object: group,
  };
  await mastodon.post(`${group}/inbox`, follow, account);
  await eventually(
    async () => mastodon.received.some((activity) => activity.type === "Accept"),
    (accepted) => accepted,
    `${account.id} admitted to ${group}`,
    [hub],
  );
}
