import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrowserInstance,
  register,
  screenshot,
  startBrowserInstance,
} from "../support/browser.ts";
import { type Person, type Requester, requester, signUpWith } from "../support/client.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched, launch, waitForExit } from "../support/process.ts";
import { contexts, type RawPeer, startRawPeer } from "../support/raw-peer.ts";

const activityJson = "application/activity+json";
const praxisContext = [...contexts, { praxis: "https://w3id.org/praxis#" }];

/**
 * A hub shows one directory of its partner network: every listed community of its partners,
 * read in the worker from what each publishes, filtered and joined from the hub. Servers that
 * pose as partners (test/support/raw-peer.ts) serve broken or hostile directories.
 */
describe("the network directory", { timeout: 60_000 }, () => {
  let alpha: Peer;
  let beta: Peer;
  let hub: BrowserInstance;
  let hubRequest: Requester;
  let hubAdmin: Person;
  const raw: Record<string, RawPeer> = {};
  let stranger: RawPeer;

  const refOn = (peer: Peer, slug: string) => `${slug}@${peer.host}`;
  /** Whether the hub logged `line`; LogTape quotes the values it writes into a message. */
  const logged = (line: string) => () =>
    Promise.resolve((hub.praxis.stdout() + hub.praxis.stderr()).replaceAll("'", "").includes(line));

  async function create(peer: Peer, token: string, body: Record<string, unknown>) {
    const answer = await peer.request("POST", "/api/v1/communities", {
      token,
      body: { summary: "Practitioners", ...body },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  }

  const directoryRefs = async (query = "") => {
    const answer = await hubRequest("GET", `/api/v1/communities?limit=100${query}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return (answer.body.items as { ref: string }[]).map((item) => item.ref).sort();
  };

  /** A Group served by hand, with the Praxis terms a Praxis home adds. */
  function rawGroup(peer: RawPeer, slug: string, terms: Record<string, unknown> = {}) {
    const id = `${peer.origin}/groups/${slug}`;
    peer.serve(`/groups/${slug}`, {
      "@context": praxisContext,
      id,
      type: "Group",
      preferredUsername: slug,
      name: `Raw ${slug}`,
      inbox: `${id}/inbox`,
      followers: `${id}/followers`,
      manuallyApprovesFollowers: false,
      "praxis:privacy": "open",
      ...terms,
    });
    return id;
  }

  /** A server posing as a partner: its instance actor, found as host@host, names `directory`. */
  async function posingAsPartner(directory: (peer: RawPeer) => unknown): Promise<RawPeer> {
    const peer = await startRawPeer("127.0.4.9");
    const actor = `${peer.origin}/instance`;
    peer.serve(
      "/.well-known/webfinger",
      {
        subject: `acct:127.0.4.9@${peer.host}`,
        links: [{ rel: "self", type: activityJson, href: actor }],
      },
      "application/jrd+json",
    );
    peer.serve("/instance", {
      "@context": contexts,
      id: actor,
      type: "Application",
      preferredUsername: "127.0.4.9",
      inbox: `${actor}/inbox`,
      streams: [`${peer.origin}/directory`],
    });
    peer.serve("/directory", directory(peer));
    return peer;
  }

  const collection = (peer: RawPeer, items: string[]) => ({
    "@context": contexts,
    id: `${peer.origin}/directory`,
    type: "OrderedCollection",
    totalItems: items.length,
    orderedItems: items,
  });

  beforeAll(async () => {
    // The partners form a closed network around the hub: its host, whatever its port.
    const network = { FEDERATION_ALLOWLIST: "127.0.4.1,127.0.4.2,127.0.4.3" };
    [alpha, beta] = await Promise.all([
      startPeer("127.0.4.2", network),
      startPeer("127.0.4.3", network),
    ]);
    const [ana, bruno] = await Promise.all([alpha.signUp("ana"), beta.signUp("bruno")]);
    await create(alpha, ana.token, {
      slug: "water",
      name: "Water and sanitation",
      privacy: "open",
      topics: ["Water", "sanitation"],
      languages: ["en", "fr"],
      countries: ["ke"],
    });
    await create(alpha, ana.token, {
      slug: "cash",
      name: "Cash transfers",
      privacy: "semi_private",
      topics: ["cash transfers"],
      languages: ["es"],
      countries: ["MX"],
    });
    await create(alpha, ana.token, {
      slug: "board",
      name: "Network board",
      privacy: "private",
      topics: ["governance"],
      languages: ["en"],
    });
    await create(alpha, ana.token, {
      slug: "shadow",
      name: "Shadow water",
      privacy: "open",
      hidden: true,
      topics: ["water"],
    });
    await create(beta, bruno.token, {
      slug: "health",
      name: "Health financing",
      privacy: "public",
      topics: ["health"],
      languages: ["pt-br"],
      countries: ["BR"],
    });
    await create(beta, bruno.token, {
      slug: "quiet",
      name: "Quiet",
      privacy: "open",
      hidden: true,
    });
    await create(beta, bruno.token, { slug: "fading", name: "Fading", privacy: "open" });

    stranger = await startRawPeer("127.0.4.9");
    rawGroup(stranger, "stranger");
    raw.malformed = await posingAsPartner(() => "{ this is not JSON");
    raw.huge = await posingAsPartner((peer) => ({
      ...collection(peer, []),
      summary: "x".repeat(3 * 1024 * 1024),
    }));
    raw.looping = await posingAsPartner((peer) => {
      const page = `${peer.origin}/directory/page`;
      const dormant = rawGroup(peer, "dormant", {
        "praxis:topics": ["water"],
        "praxis:lastActivityAt": "2020-01-15T00:00:00.000Z",
      });
      peer.serve("/directory/page", {
        "@context": contexts,
        id: page,
        type: "OrderedCollectionPage",
        partOf: `${peer.origin}/directory`,
        orderedItems: [dormant],
        next: page,
      });
      return {
        "@context": contexts,
        id: `${peer.origin}/directory`,
        type: "OrderedCollection",
        first: page,
      };
    });
    raw.foreign = await posingAsPartner((peer) =>
      collection(peer, [`${stranger.origin}/groups/stranger`, rawGroup(peer, "own")]),
    );
    raw.hidden = await posingAsPartner((peer) =>
      collection(peer, [
        rawGroup(peer, "secret", {
          "@context": [
            ...praxisContext,
            { toot: "http://joinmastodon.org/ns#", discoverable: "toot:discoverable" },
          ],
          discoverable: false,
        }),
      ]),
    );
    raw.slow = await posingAsPartner((peer) => collection(peer, [rawGroup(peer, "late")]));
    await raw.slow.goDown("hang");

    const partners = [alpha.host, beta.host, ...Object.values(raw).map((peer) => peer.host)];
    hub = await startBrowserInstance("127.0.4.1", {
      ALLOW_PRIVATE_ADDRESSES: "true",
      HUB_PARTNERS: partners.join(","),
      DIRECTORY_REFRESH_SECONDS: "3",
      REMOTE_TIMEOUT_SECONDS: "2",
      LOG_LEVEL: "warning",
    });
    hubRequest = requester(hub.origin, (request) => fetch(request));
    hubAdmin = await signUpWith(hubRequest, "hubadmin");
    const commons = await hubRequest("POST", "/api/v1/communities", {
      token: hubAdmin.token,
      body: { slug: "commons", name: "Hub commons", privacy: "open", topics: ["water"] },
    });
    expect(commons.status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await hub?.close();
    await Promise.all([alpha?.stop(), beta?.stop()]);
    await raw.slow?.comeBack();
    await Promise.all([stranger, ...Object.values(raw)].map((peer) => peer?.close()));
    await killLaunched();
  });

  it("is published by each partner: listed communities in the API and as its instance actor's stream", async () => {
    const published = await alpha.request("GET", "/api/v1/directory");
    expect(published.status).toBe(200);
    const water = published.body.items.find((item: { ref: string }) => item.ref === "water");
    expect(published.body.items.map((item: { ref: string }) => item.ref).sort()).toEqual([
      "board",
      "cash",
      "water",
    ]);
    expect(water).toMatchObject({
      name: "Water and sanitation",
      summary: "Practitioners",
      topics: ["water", "sanitation"],
      languages: ["en", "fr"],
      countries: ["KE"],
      privacy: "open",
      memberCount: 1,
      active: true,
    });
    expect(Date.parse(water.lastActivityAt)).not.toBeNaN();

    const get = (url: string) => fetch(url, { headers: { accept: activityJson } });
    const instance = await (await get(`${alpha.origin}/actors/instance`)).json();
    const directory = await (await get(instance.streams)).json();
    expect(directory.type).toBe("OrderedCollection");
    const page = await get(directory.first);
    const text = await page.text();
    expect(JSON.parse(text).orderedItems.sort()).toEqual(
      ["board", "cash", "water"].map((slug) => `${alpha.origin}/actors/${slug}`),
    );
    // Ids only: a page stays small, and each entry is read from its own Group.
    expect(text.length).toBeLessThan(2_500);
  });

  it("shows every listed community of both partners on the hub, never a hidden one, without typing a handle", async () => {
    const expected = [
      "commons",
      refOn(alpha, "board"),
      refOn(alpha, "cash"),
      refOn(alpha, "water"),
      refOn(beta, "fading"),
      refOn(beta, "health"),
    ];
    const refs = await eventually(
      () => directoryRefs(),
      (found) => expected.every((ref) => found.includes(ref)),
      "the partners' communities in the hub's directory",
      [alpha, beta],
      30_000,
    );
    for (const hidden of [refOn(alpha, "shadow"), refOn(beta, "quiet")]) {
      expect(refs).not.toContain(hidden);
    }
    const water = await hubRequest("GET", `/api/v1/communities/${refOn(alpha, "water")}`);
    expect(water.body).toMatchObject({
      topics: ["water", "sanitation"],
      languages: ["en", "fr"],
      countries: ["KE"],
      privacy: "open",
      memberCount: 1,
      active: true,
    });
    const health = await hubRequest("GET", `/api/v1/communities/${refOn(beta, "health")}`);
    expect(health.body).toMatchObject({ privacy: "public", languages: ["pt-BR"] });
  });

  it("filters the whole network by topic, language, country, privacy and activity", async () => {
    const dormant = `dormant@${raw.looping?.host}`;
    await eventually(
      () => directoryRefs(),
      (found) => found.includes(dormant),
      "the community of the partner whose pages lead back",
    );
    expect(await directoryRefs("&topic=Water")).toEqual(
      ["commons", dormant, refOn(alpha, "water")].sort(),
    );
    expect(await directoryRefs("&language=pt")).toEqual([refOn(beta, "health")]);
    expect(await directoryRefs("&language=en")).toEqual(
      [refOn(alpha, "board"), refOn(alpha, "water")].sort(),
    );
    expect(await directoryRefs("&country=mx")).toEqual([refOn(alpha, "cash")]);
    expect(await directoryRefs("&privacy=private")).toEqual([refOn(alpha, "board")]);
    expect(await directoryRefs("&activity=inactive")).toEqual([dormant]);
    expect(await directoryRefs("&activity=active&topic=water")).toEqual(
      ["commons", refOn(alpha, "water")].sort(),
    );
    expect(await directoryRefs("&q=sanitation")).toEqual([refOn(alpha, "water")]);

    const filters = await hubRequest("GET", "/api/v1/directory/filters");
    expect(filters.status).toBe(200);
    expect(filters.body.topics).toContainEqual({ value: "water", count: 3 });
    expect(filters.body.languages).toContainEqual({ value: "pt", count: 1 });
    expect(filters.body.countries).toContainEqual({ value: "KE", count: 1 });

    // Without JavaScript, the directory's filters are a form whose answer is the page itself.
    const page = await (await fetch(`${hub.origin}/?country=KE`)).text();
    expect(page).toContain("Water and sanitation");
    expect(page).not.toContain("Cash transfers");
  });

  it("lets a new person on the hub join a partner's open community from its entry", async () => {
    await eventually(
      () => directoryRefs(),
      (found) => found.includes(refOn(alpha, "water")),
      "the partner's community in the hub's directory",
    );
    const browser = await hub.browser.newPage();
    await register(browser, hub.origin, "newcomer");
    await browser.goto(`${hub.origin}/?topic=sanitation`);
    await browser.getByRole("button", { name: "Join Water and sanitation" }).click();
    await browser.getByText(/waiting for an administrator|You are a member/).waitFor();
    await eventually(
      async () => {
        const members = await alpha.request("GET", "/api/v1/communities/water/members");
        return (members.body.items as { account: { handle: string } }[]).map(
          (member) => member.account.handle,
        );
      },
      (handles) => handles.includes(`@newcomer@${new URL(hub.origin).host}`),
      "the newcomer among the partner community's members",
      [alpha],
    );
    // The partner admits at once; its Accept then reaches the hub in its own time.
    const session = await hubRequest("POST", "/api/v1/sessions", {
      body: { login: "newcomer", password: "a long enough password" },
    });
    await eventually(
      async () =>
        (
          await hubRequest("GET", `/api/v1/communities/${refOn(alpha, "water")}`, {
            token: session.body.token,
          })
        ).body.viewer?.state,
      (state) => state === "active",
      "the newcomer's membership on the hub",
      [alpha],
    );
    await browser.reload();
    await browser.getByText("You are a member.").waitFor();
    await screenshot(browser, "network-directory-joined");
    await browser.close();
  });

  it("drops a community its partner hides at the next reading", async () => {
    const bruno = await beta.request("POST", "/api/v1/sessions", {
      body: { login: "bruno", password: "a long enough password" },
    });
    const hidden = await beta.request("PATCH", "/api/v1/communities/fading", {
      token: bruno.body.token,
      body: { hidden: true },
    });
    expect(hidden.status).toBe(200);
    await eventually(
      () => directoryRefs(),
      (found) => !found.includes(refOn(beta, "fading")) && found.includes(refOn(beta, "health")),
      "the hidden community gone from the hub's directory",
      [beta],
      30_000,
    );
    const lookedUp = await hubRequest("GET", `/api/v1/communities/${refOn(beta, "fading")}`);
    expect(lookedUp.status).toBe(404);
  });

  it("answers bad filters and facets with a 400 that says what is wrong", async () => {
    for (const query of ["country=Narnia", "language=!!", "privacy=secret", "activity=sometimes"]) {
      const answer = await hubRequest("GET", `/api/v1/communities?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.code).toBe("invalid_input");
      expect(answer.body.error.message).toContain(query.split("=")[0]);
    }
    const tooMany = await hubRequest("POST", "/api/v1/communities", {
      token: hubAdmin.token,
      body: {
        slug: "many",
        name: "Many",
        privacy: "open",
        topics: Array.from({ length: 11 }, (_, i) => `topic ${i}`),
      },
    });
    expect(tooMany.status).toBe(400);
    const unknownCountry = await hubRequest("PATCH", "/api/v1/communities/commons", {
      token: hubAdmin.token,
      body: { countries: ["XX"] },
    });
    expect(unknownCountry.status).toBe(400);
    expect(unknownCountry.body.error.message).toContain("countries");
  });

  it("ignores a partner's directory that is not JSON, with a log line", async () => {
    const { host, origin } = raw.malformed ?? { host: "", origin: "" };
    await eventually(
      logged(`Ignored the directory of ${host}: ${origin}/directory: The document is not JSON`),
      Boolean,
      "the log line",
    );
  });

  it("ignores a partner's directory larger than 2 MB, with a log line", async () => {
    const { host, origin } = raw.huge ?? { host: "", origin: "" };
    await eventually(
      logged(`Ignored the directory of ${host}: ${origin}/directory: The document is larger than`),
      Boolean,
      "the log line",
    );
  });

  it("ignores a partner that does not answer, with a log line, and waits for no one else", async () => {
    const host = raw.slow?.host ?? "";
    await eventually(
      logged(`Ignored the directory of ${host}: it has no instance actor`),
      Boolean,
      "the log line",
    );
    expect(await directoryRefs()).not.toContain(`late@${host}`);
  });

  it("ignores the communities of other servers a partner lists, with a log line", async () => {
    const host = raw.foreign?.host ?? "";
    await eventually(
      logged(`The directory of ${host} lists communities of other servers (1, such as`),
      Boolean,
      "the log line",
    );
    const refs = await directoryRefs();
    expect(refs).toContain(`own@${host}`);
    expect(refs).not.toContain(`stranger@${stranger.host}`);
  });

  it("never shows a hidden community a partner lists, with a log line", async () => {
    const host = raw.hidden?.host ?? "";
    await eventually(
      logged(`The directory of ${host} lists hidden communities (1, such as`),
      Boolean,
      "the log line",
    );
    expect(await directoryRefs()).not.toContain(`secret@${host}`);
    const found = await hubRequest("GET", `/api/v1/communities/secret@${host}`);
    expect(found.status).toBe(404);
    expect((await fetch(`${hub.origin}/healthz`)).status).toBe(200);
  });

  it("refuses to start with partners that are not servers, saying why", async () => {
    const praxis = launch({
      HOST: "127.0.4.1",
      DATA_DIR: join(tmpdir(), "praxis-never-started"),
      HUB_PARTNERS: "https://partner.example.org",
    });
    const exit = await waitForExit(praxis, 20_000);
    expect(exit.code).toBe(1);
    expect(praxis.stderr()).toMatch(
      /HUB_PARTNERS="https:\/\/partner\.example\.org": must be servers/,
    );
  });
});
