import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserInstance, startBrowserInstance } from "../support/browser.ts";
import { type Person, type Requester, requester, signUpWith } from "../support/client.ts";
import { eventually } from "../support/peer.ts";
import {
  killLaunched,
  type Praxis,
  startPraxis,
  startPraxisAt,
  waitForExit,
} from "../support/process.ts";
import { pageAs } from "../support/signed-in-page.ts";

const browser =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

interface Partner {
  address: string;
  origin: string;
  host: string;
  dataDir: string;
  praxis: Praxis;
  request: Requester;
}

/**
 * A hub shows its partners' per-community counts beside its own (issue 16), when a partner
 * opts in with SHARE_ANALYTICS_WITH_HUB: aggregates only, read in the worker with the
 * directory. A partner that does not opt in, or stops, has no counts on the hub.
 */
describe("partners' counts on the hub", { timeout: 90_000 }, () => {
  let sharing: Partner;
  let private_: Partner;
  let hubRequest: Requester;
  let hubAdmin: Person;
  let hub: BrowserInstance;

  /** A partner on `address`: its port and data kept, so that it can start again with other settings. */
  async function startPartner(
    address: string,
    share: boolean,
    previous?: Partner,
  ): Promise<Partner> {
    const dataDir = previous?.dataDir ?? (await mkdtemp(join(tmpdir(), "praxis-partner-")));
    const port = previous ? new URL(previous.origin).port : "0";
    const env = {
      HOST: address,
      DATA_DIR: dataDir,
      ALLOW_PRIVATE_ADDRESSES: "true",
      LOG_LEVEL: "warning",
      SHARE_ANALYTICS_WITH_HUB: String(share),
    };
    if (previous) {
      const { origin } = previous;
      const praxis = await startPraxis({ ...env, PORT: port, PUBLIC_URL: origin });
      return { ...previous, praxis };
    }
    const { origin, praxis } = await startPraxisAt(address, env);
    const request = requester(origin, (req) => fetch(req));
    return { address, origin, host: new URL(origin).host, dataDir, praxis, request };
  }

  async function stop(partner: Partner) {
    if (partner.praxis.child.pid) process.kill(-partner.praxis.child.pid, "SIGTERM");
    await waitForExit(partner.praxis, 20_000);
  }

  /** The partner's community with one reader and one joiner besides its facilitator. */
  async function communityOn(partner: Partner, slug: string, name: string) {
    const owner = await signUpWith(partner.request, `${slug}_owner`);
    const made = await partner.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug, name, summary: "", privacy: "open" },
    });
    expect(made.status).toBe(201);
    const posted = await partner.request("POST", `/api/v1/communities/${slug}/discussions`, {
      token: owner.token,
      body: { title: "Hello", content: "A first thread" },
    });
    expect(posted.status).toBe(201);
    const joiner = await signUpWith(partner.request, `${slug}_joiner`);
    await partner.request("POST", `/api/v1/communities/${slug}/join`, { token: joiner.token });
    const read = await partner.request("GET", `/api/v1/communities/${slug}/profile`, {
      headers: { "user-agent": browser },
    });
    expect(read.status).toBe(200);
  }

  const partnersOnHub = async () => {
    const answer = await hubRequest("GET", "/api/v1/admin/analytics", { token: hubAdmin.token });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.partners as { ref: string; server: string; views: number }[];
  };

  beforeAll(async () => {
    [sharing, private_] = await Promise.all([
      startPartner("127.0.30.21", true),
      startPartner("127.0.30.22", false),
    ]);
    await communityOn(sharing, "water", "Water and sanitation");
    await communityOn(private_, "cash", "Cash transfers");
    hub = await startBrowserInstance("127.0.30.20", {
      ALLOW_PRIVATE_ADDRESSES: "true",
      HUB_PARTNERS: `${sharing.host},${private_.host}`,
      DIRECTORY_REFRESH_SECONDS: "2",
      LOG_LEVEL: "warning",
    });
    hubRequest = requester(hub.origin, (req) => fetch(req));
    hubAdmin = await signUpWith(hubRequest, "hubadmin");
  }, 120_000);

  afterAll(async () => {
    await hub?.close();
    await killLaunched();
  });

  it("publishes a partner's counts only when it opts in, and never a person", async () => {
    const shared = await sharing.request("GET", "/api/v1/directory/counts");
    expect(shared.status).toBe(200);
    expect(shared.body.items).toEqual([
      {
        community: `${sharing.origin}/actors/water`,
        views: 1,
        downloads: 0,
        joins: 2,
        activeMembers: 1,
      },
    ]);
    const refused = await private_.request("GET", "/api/v1/directory/counts");
    expect(refused.status).toBe(404);
  });

  it("shows the opted-in partner's counts to the hub's administrator, and none of the other's", async () => {
    const partners = await eventually(
      partnersOnHub,
      (rows) => rows.length > 0,
      "the sharing partner's counts on the hub",
      [],
      30_000,
    );
    expect(partners).toEqual([
      {
        ref: `water@${sharing.host}`,
        name: "Water and sanitation",
        server: sharing.host,
        views: 1,
        downloads: 0,
        joins: 2,
        activeMembers: 1,
        countedTo: new Date().toISOString().slice(0, 10),
      },
    ]);
    // The other partner's community is in the hub's directory all the same, without counts.
    // The hub reads each partner's directory in its own time: the sharing one may come first.
    const refsOnHub = async () =>
      (
        (await hubRequest("GET", "/api/v1/communities?limit=100")).body.items as { ref: string }[]
      ).map((item) => item.ref);
    const refs = await eventually(
      refsOnHub,
      (found) => found.includes(`cash@${private_.host}`),
      "the other partner's community in the hub's directory",
      [],
      30_000,
    );
    expect(refs).toContain(`cash@${private_.host}`);

    // The administrator's screen shows them in a table of their own, beside the hub's.
    const page = await pageAs(hub.browser, hub.origin, hubAdmin, "/admin/analytics");
    const table = page.getByRole("region", { name: "Partners' communities" });
    await table.getByRole("cell", { name: "Water and sanitation" }).waitFor();
    expect(await table.getByRole("row").allInnerTexts()).toEqual([
      expect.stringMatching(/^Community\s+Server\s+Views\s+Downloads\s+Joined\s+Active members$/),
      expect.stringMatching(
        new RegExp(`^Water and sanitation\\s+${sharing.host}\\s+1\\s+0\\s+2\\s+1$`),
      ),
    ]);
    await page.context().close();

    const csv = await hubRequest("GET", "/api/v1/admin/analytics.csv?table=partners", {
      token: hubAdmin.token,
    });
    expect(csv.status).toBe(200);
    const lines = String(csv.body)
      .replace(/^\uFEFF/, "")
      .split("\r\n")
      .filter(Boolean);
    expect(lines).toEqual([
      "Community,Server,Views,Downloads,Joined,Active members",
      `Water and sanitation,${sharing.host},1,0,2,1`,
    ]);
  });

  it("keeps no counts of a partner once it stops sharing them", async () => {
    await eventually(partnersOnHub, (rows) => rows.length > 0, "the counts on the hub");
    await stop(sharing);
    sharing = await startPartner(sharing.address, false, sharing);
    expect((await sharing.request("GET", "/api/v1/directory/counts")).status).toBe(404);
    await eventually(
      partnersOnHub,
      (rows) => rows.length === 0,
      "no counts on the hub",
      [],
      30_000,
    );
    expect(hub.praxis.running()).toBe(true);
  });
});
