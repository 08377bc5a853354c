import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCommonsWithThread } from "../support/commons.ts";
import { freshDatabase } from "../support/database.ts";
import { fixture } from "../support/fake-peer.ts";
import { addRemoteMember } from "../support/inbox-listener.ts";
import { type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";
import { type RawActor, type RawPeer, signedRequest, startRawPeer } from "../support/raw-peer.ts";
import { fixtureFiles, type Replay, staged } from "../support/replayable-fixtures.ts";

type Outcome = "effect" | "ignored" | "4xx" | "500" | "silent";
const outcomes: Outcome[] = ["effect", "ignored", "4xx", "500", "silent"];

interface Result {
  replay: Replay;
  outcome: Outcome;
  /** The status, the tables that changed, or the log line that gave the reason. */
  why: string;
}

/** Fedify's words when a listener threw: the activity is retried, as after a crash. */
const listenerFailure =
  /Failed to process the incoming activity|unexpected error occurred in inbox/;
/** A line of the inbox's own loggers (any level), or Fedify's own dropping of an activity. */
const reasonLine =
  /praxis·federation·inbox.*|Unsupported activity type.*|Failed to parse the queued incoming activity.*/;

const isFailure = (r: Result) => r.outcome === "500" || r.outcome === "silent";
const described = (r: Result) => `${r.outcome} ${r.replay.file}: ${r.why}`;

/** Activities that change what their own actor is (a profile, or the account gone). */
const aboutItsActor = (activity: Record<string, any>) =>
  ["Update", "Delete"].includes(activity.type) &&
  (activity.object?.id ?? activity.object) === activity.actor;

/**
 * Every activity and object of the peer fixtures (real JSON from ~37 fediverse servers),
 * signed by its own actor on a server that shares no code with Fedify and posted to an open
 * community's inbox. Each must have an effect, be ignored with a log line saying why, or be
 * refused with a 4xx: never a 500 (or a listener that throws and is retried), never a 202
 * that nobody can explain.
 */
describe("the fixture corpus replayed into a Group inbox", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: Peer;
  let peer: RawPeer;
  let template: RawActor;
  let communityId: string;
  let group: string;
  const results: Result[] = [];

  /** What the inbox may have done, table by table; compared before and after each replay. */
  async function effects(): Promise<Record<string, string>> {
    const [row] = await database.sql`
      select
        (select count(*) || ':' || coalesce(max(updated_at)::text, '') from posts) as post,
        (select count(*) || ':' || coalesce(max(updated_at)::text, '') from comments) as comment,
        (select count(*)::text from likes) as like,
        (select count(*) || ':' || coalesce(max(updated_at)::text, '') from memberships) as membership,
        (select count(*)::text from notifications) as notification,
        (select count(*)::text from tombstones) as tombstone,
        (select count(*)::text from invitations) as invitation,
        (select count(*) || ':' || coalesce(max(updated_at)::text, '') from communities) as community,
        (select coalesce(max(updated_at)::text, '') from accounts) as profile`;
    return row as Record<string, string>;
  }

  /** Waits until the worker has handled every incoming activity that is due. */
  async function inboxHandled(): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const [row] = await database.sql`
        select count(*)::int as due from queued_messages
        where queue = 'inbox' and deliver_at <= now()`;
      if (row?.due === 0) break;
      await sleep(25);
    }
    // A retry waits for later: the failure is in the log already, and it must not come back.
    await database.sql`delete from queued_messages where queue = 'inbox'`;
  }

  /** Serves the replay's actors (sharing one key: RSA keys take 160 ms each) and objects. */
  function serve(replay: Replay) {
    for (const name of replay.actors) {
      const id = `${peer.origin}/users/${name}`;
      peer.serve(`/users/${name}`, {
        ...template.document,
        id,
        preferredUsername: name,
        name,
        inbox: `${id}/inbox`,
        outbox: `${id}/outbox`,
        followers: `${id}/followers`,
        publicKey: { ...(template.document.publicKey as object), id: `${id}#main-key`, owner: id },
      });
    }
    for (const [path, document] of replay.documents) peer.serve(path, document);
  }

  async function replayed(replay: Replay): Promise<Result> {
    serve(replay);
    const [name = ""] = replay.actors;
    const signer = {
      keyId: `${peer.origin}/users/${name}#main-key`,
      privateKey: template.privateKey,
    };
    const joining = ["Follow", "Join"].includes(replay.activity.type);
    if (!joining) await addRemoteMember(database.db, communityId, peer.host, name);
    for (const earlier of replay.before) {
      await fetch(signedRequest("POST", `${group}/inbox`, signer, earlier));
      await inboxHandled();
    }
    const before = await effects();
    const marks = [hub.praxis.stdout().length, hub.praxis.stderr().length];
    const request = signedRequest("POST", `${group}/inbox`, signer, replay.activity);
    const response = await fetch(request);
    const answer = `${response.status} ${await response.text()}`;
    if (response.ok) await inboxHandled();
    const after = await effects();
    const changed = Object.keys(after).filter(
      (table) =>
        after[table] !== before[table] && (table !== "profile" || aboutItsActor(replay.activity)),
    );
    // The log reaches this process through a pipe, a moment after the work is done.
    let output = "";
    for (const wait of [20, 300]) {
      await sleep(wait);
      output = hub.praxis.stdout().slice(marks[0]) + hub.praxis.stderr().slice(marks[1]);
      if (listenerFailure.test(output) || reasonLine.test(output) || changed.length > 0) break;
    }
    if (response.status >= 500 || listenerFailure.test(output)) {
      const failure = output.match(/.*(error occurred|Failed to process).*\n?.*/)?.[0];
      return { replay, outcome: "500", why: `${answer} ${failure ?? output.slice(0, 500)}` };
    }
    if (response.status >= 400) {
      const detail = output.match(/Failed to (parse|verify).*\n.*/)?.[0] ?? "";
      return { replay, outcome: "4xx", why: `${answer} ${detail}` };
    }
    if (changed.length > 0) return { replay, outcome: "effect", why: changed.join(", ") };
    const reason = output.match(reasonLine)?.[0];
    // Addresses on the test server say nothing about the fixture; the reason is what counts.
    if (reason)
      return {
        replay,
        outcome: "ignored",
        why: reason.replace(/'http[^']*'/g, "…").replace(/^.*?Ignored … … from …: /, ""),
      };
    return { replay, outcome: "silent", why: `${response.status}, nothing changed or logged` };
  }

  function tally(results: Result[]): string {
    const servers = [...new Set(results.map((result) => result.replay.server))].sort();
    const row = (name: string, of: Result[]) =>
      [
        name.padEnd(12),
        ...outcomes.map((o) => String(of.filter((r) => r.outcome === o).length).padStart(8)),
      ].join("");
    return [
      ["server".padEnd(12), ...outcomes.map((o) => o.padStart(8))].join(""),
      ...servers.map((server) =>
        row(
          server,
          results.filter((r) => r.replay.server === server),
        ),
      ),
      row("total", results),
    ].join("\n");
  }

  beforeAll(async () => {
    database = await freshDatabase();
    [hub, peer] = await Promise.all([
      startPeer("127.0.0.130", { DATABASE_URL: database.url, LOG_LEVEL: "info" }),
      startRawPeer("127.0.0.131"),
    ]);
    template = peer.person("replay_template");
    const commons = await openCommonsWithThread(hub, {
      title: "Cash transfers in emergencies",
      content: "What worked where markets still functioned?",
    });
    const stage = {
      origin: peer.origin,
      group: `${hub.origin}/actors/commons`,
      thread: commons.thread.uri,
    };
    group = stage.group;
    const [community] = await database.sql`select id from communities where slug = 'commons'`;
    communityId = community?.id;
    const replays = fixtureFiles().flatMap((file, n) => {
      const replay = staged(file, fixture(file), n, stage);
      return replay ? [replay] : [];
    });
    // One at a time: what the server logs and changes is then this replay's doing.
    for (const replay of replays) results.push(await replayed(replay));
  }, 900_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), peer?.close()]);
    await killLaunched();
    await database?.close();
  });

  const resultOf = (file: string) => {
    const result = results.find((r) => r.replay.file === file);
    if (!result) throw new Error(`${file} was not replayed`);
    return result;
  };
  const postCalled = async (uri: string) =>
    (await database.sql`select kind, title, content from posts where uri = ${uri}`)[0];

  it("answers each with an effect, a logged reason or a 4xx: never a 500, never silence", () => {
    const counted = (outcome: Outcome) => {
      const counts = new Map<string, number>();
      for (const r of results.filter((r) => r.outcome === outcome)) {
        counts.set(r.why, (counts.get(r.why) ?? 0) + 1);
      }
      return [...counts]
        .sort(([, a], [, b]) => b - a)
        .map(([why, n]) => `${String(n).padStart(5)}  ${why}`);
    };
    console.log(
      [
        `${results.length} fixtures replayed`,
        tally(results),
        "effect, what changed:",
        ...counted("effect"),
        "ignored, why:",
        ...counted("ignored"),
        ...results
          .filter((r) => r.outcome !== "effect" && r.outcome !== "ignored")
          .map((r) => `${r.outcome.padEnd(8)} ${r.replay.file}  ${r.why}`),
      ].join("\n"),
    );
    const failures = results.filter(isFailure);
    expect(failures.map(described)).toEqual([]);
  });

  it("keeps Lemmy-style posts that are only a title, a link or an image, the link as their body", async () => {
    const kept: [file: string, link: (activity: Record<string, any>) => string | undefined][] = [
      ["fep/fep-1b12/example-01-threads-and-comments.json", () => undefined],
      ["mbin/mbin-outbox-snapshots/CreateTest__testCreateEntry__1.json", () => undefined],
      [
        "mbin/mbin-outbox-snapshots/CreateTest__testCreateEntryWithUrlAndImage__1.json",
        (a) => a.object.attachment[0].href,
      ],
      ["lotide/activities/create_page.json", (a) => a.object.url],
      ["lotide/objects/page.json", (a) => a.object.url],
      ["lotide/activities/create_page_image.json", (a) => a.object.attachment[0].url],
      ["prismo/mobilizon-test-fixtures/prismo-url-map.json", () => undefined],
    ];
    for (const [file, link] of kept) {
      const { replay, outcome, why } = resultOf(file);
      expect(`${file}: ${outcome} ${why}`).toMatch(/: effect post/);
      const post = await postCalled(replay.activity.object.id);
      expect(post).toMatchObject({ kind: "discussion", title: replay.activity.object.name });
      const href = link(replay.activity);
      if (href) expect(post?.content).toContain(`href="${href}"`);
    }
  });

  it("refuses a private message to the community in the log, and makes no thread of it", async () => {
    for (const file of [
      "lemmy/activities/create_or_update/create_private_message.json",
      "lemmy/activities/create_or_update/create_private_message_0.19.json",
      "lemmy/objects/private_message.json",
      "mbin/mbin-outbox-snapshots/CreateTest__testCreateMessage__1.json",
      "pleroma/objects/chat_message.json",
      "mastodon/mobilizon-test-fixtures/mastodon-post-activity-private.json",
    ]) {
      const { replay, outcome, why } = resultOf(file);
      expect(`${file}: ${outcome}`).toBe(`${file}: ignored`);
      expect(why).toMatch(/private message|only posts, replies/);
      expect(await postCalled(replay.activity.object.id)).toBeUndefined();
    }
  });
});
