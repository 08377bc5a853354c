import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";
import {
  contexts,
  publicAddress,
  type RawActor,
  type RawPeer,
  signedRequest,
  startRawPeer,
} from "../support/raw-peer.ts";

interface Item {
  id: string;
  uri: string;
  title: string;
  language: string;
  translations: string[];
  translation: { language: string; title: string; content: string } | null;
}

/**
 * Translations travel as ActivityStreams carries them, `contentMap` and `nameMap`: between two
 * Praxis servers both ways (a hub and a partner whose member writes there), and from a server
 * that shares no code with Praxis, signing by hand.
 */
describe("translations across servers", () => {
  let hub: Peer;
  let partner: Peer;
  let raw: RawPeer;
  let admin: Person;
  let rosa: Person;
  let victor: RawActor;

  const ref = () => `commons@${hub.host}`;
  const hubGroup = () => `${hub.origin}/actors/commons`;

  const discussions = async (peer: Peer, path: string, token?: string, language = "ar") =>
    (
      await peer.request("GET", `/api/v1/communities/${path}/discussions`, {
        token,
        // The language the reader chose, as the site's switcher sets it.
        headers: { cookie: `lang=${language}` },
      })
    ).body.items as Item[];

  const find = (items: Item[], title: string) => items.find((item) => item.title === title);

  beforeAll(async () => {
    raw = await startRawPeer("127.0.34.22");
    [hub, partner] = await Promise.all([startPeer("127.0.34.20"), startPeer("127.0.34.21")]);
    admin = await hub.signUp("hubadmin");
    await partner.signUp("partneradmin");
    rosa = await partner.signUp("rosa");
    const created = await hub.request("POST", "/api/v1/communities", {
      token: admin.token,
      body: { slug: "commons", name: "Commons", summary: "", privacy: "open" },
    });
    expect(created.status).toBe(201);
    await partner.request("POST", `/api/v1/communities/${ref()}/join`, {
      token: rosa.token,
      body: {},
    });
    await eventually(
      async () =>
        (await partner.request("GET", `/api/v1/communities/${ref()}`, { token: rosa.token })).body
          ?.viewer?.state,
      (state) => state === "active",
      "rosa joining commons",
      [hub, partner],
    );
    victor = raw.person("victor");
    const follow = {
      "@context": contexts,
      id: `${victor.id}#follows/1`,
      type: "Follow",
      actor: victor.id,
      object: hubGroup(),
    };
    expect((await fetch(signedRequest("POST", `${hubGroup()}/inbox`, victor, follow))).status).toBe(
      202,
    );
    await eventually(
      async () =>
        (
          await hub.request("GET", "/api/v1/communities/commons/members", { token: admin.token })
        ).body.items.map((member: { account: { handle: string } }) => member.account.handle),
      (handles: string[]) => handles.includes(`@victor@${raw.host}`),
      "victor in commons",
      [hub],
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), partner?.stop(), raw?.close()]);
    await killLaunched();
  });

  it("sends a translation added on the hub to the partner, as contentMap and nameMap", async () => {
    const post = await hub.request("POST", "/api/v1/communities/commons/discussions", {
      token: admin.token,
      body: {
        title: "Transferts monétaires",
        content: "Les transferts monétaires réduisent la pauvreté.",
        language: "fr",
      },
    });
    expect(post.status).toBe(201);
    await eventually(
      async () => find(await discussions(partner, ref(), rosa.token), "Transferts monétaires"),
      Boolean,
      "the thread on the partner",
      [hub, partner],
    );
    const translated = await hub.request("PUT", `/api/v1/posts/${post.body.id}/translations/ar`, {
      token: admin.token,
      body: { title: "التحويلات النقدية", content: "التحويلات النقدية تقلل الفقر." },
    });
    expect(translated.status).toBe(200);

    const object = await (
      await fetch(post.body.uri, { headers: { accept: "application/activity+json" } })
    ).json();
    expect(object).toMatchObject({
      name: "Transferts monétaires",
      nameMap: { fr: "Transferts monétaires", ar: "التحويلات النقدية" },
      contentMap: { ar: expect.stringContaining("<p>التحويلات النقدية تقلل الفقر.</p>") },
    });
    expect(object.content).toContain("Les transferts monétaires");

    const copy = await eventually(
      async () => find(await discussions(partner, ref(), rosa.token), "Transferts monétaires"),
      (item) => item?.translation?.title === "التحويلات النقدية",
      "the Arabic translation on the partner",
      [hub, partner],
    );
    expect(copy).toMatchObject({ language: "fr", translations: ["ar"] });
  });

  it("sends a translation the partner's member adds to the hub", async () => {
    const written = await partner.request("POST", `/api/v1/communities/${ref()}/discussions`, {
      token: rosa.token,
      body: {
        title: "Registo social",
        content: "O registo social ajuda a chegar às famílias.",
        language: "pt",
      },
    });
    expect(written.status).toBe(201);
    await eventually(
      async () => find(await discussions(hub, "commons"), "Registo social"),
      Boolean,
      "rosa's thread on the hub",
      [hub, partner],
    );
    const translated = await partner.request(
      "PUT",
      `/api/v1/posts/${written.body.id}/translations/ar`,
      { token: rosa.token, body: { title: "السجل الاجتماعي", content: "السجل الاجتماعي يساعد." } },
    );
    expect(translated.status).toBe(200);
    const onHub = await eventually(
      async () => find(await discussions(hub, "commons"), "Registo social"),
      (item) => item?.translation?.title === "السجل الاجتماعي",
      "rosa's translation on the hub",
      [hub, partner],
    );
    expect(onHub?.translations).toEqual(["ar"]);
  });

  it("keeps the translations a peer sends, sanitised, without junk tags, at most ten", async () => {
    const id = `${raw.origin}/posts/maps`;
    const to = [hubGroup(), publicAddress];
    const languages = ["ar", "es", "pt", "de", "it", "nl", "sv", "pl", "tr", "sw", "ha", "yo"];
    const object = (extra: Record<string, string>) => ({
      id,
      type: "Page",
      attributedTo: victor.id,
      name: "Cash transfers",
      content: "<p>Cash transfers reduce poverty.</p>",
      contentMap: {
        en: "<p>Cash transfers reduce poverty.</p>",
        "not a tag!": "<p>junk</p>",
        ...Object.fromEntries(
          languages.map((language) => [language, `<p>${language} text</p><script>x()</script>`]),
        ),
        ...extra,
      },
      nameMap: { en: "Cash transfers", ar: "التحويلات النقدية" },
      audience: hubGroup(),
      to,
      published: new Date().toISOString(),
    });
    const create = {
      "@context": contexts,
      id: `${id}/create`,
      type: "Create",
      actor: victor.id,
      to,
      object: object({}),
    };
    expect((await fetch(signedRequest("POST", `${hubGroup()}/inbox`, victor, create))).status).toBe(
      202,
    );
    const stored = await eventually(
      async () => find(await discussions(hub, "commons"), "Cash transfers"),
      (item) => item !== undefined && item.translations.length > 0,
      "the peer's thread with its translations",
      [hub],
    );
    expect(stored?.language).toBe("en");
    expect(stored?.translations).toHaveLength(10);
    expect(stored?.translations).not.toContain("en");
    expect(stored?.translation).toMatchObject({ language: "ar", title: "التحويلات النقدية" });
    expect(stored?.translation?.content).toBe("<p>ar text</p>");

    const update = {
      "@context": contexts,
      id: `${id}/update`,
      type: "Update",
      actor: victor.id,
      to,
      object: {
        ...object({}),
        contentMap: {
          en: "<p>Cash transfers reduce poverty.</p>",
          fr: "<p>Les transferts réduisent la pauvreté.</p>",
        },
        nameMap: { fr: "Transferts" },
      },
    };
    expect((await fetch(signedRequest("POST", `${hubGroup()}/inbox`, victor, update))).status).toBe(
      202,
    );
    const revised = await eventually(
      async () => find(await discussions(hub, "commons", undefined, "fr"), "Cash transfers"),
      (item) => item?.translation?.language === "fr",
      "the peer's revised translations",
      [hub],
    );
    expect(revised?.translations).toEqual(["fr"]);
    expect(revised?.translation?.title).toBe("Transferts");
  });
});
