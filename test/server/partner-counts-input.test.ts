import { format } from "node:util";
import { reset } from "@logtape/logtape";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { communities } from "../../db/schema/communities.ts";
import { partnerCounts } from "../../db/schema/partner-counts.ts";
import { configureLogging } from "../../server/logging.ts";
import { readPartnerCounts } from "../../server/services/analytics/partner-counts.ts";
import { startTestInstance, type TestInstance } from "../support/instance.ts";
import { type RawPeer, startRawPeer } from "../support/raw-peer.ts";

/**
 * What a hub does with the counts a partner serves (issue 16): it keeps its own communities'
 * well-formed counts, and ignores with a log line whatever is not JSON, too large, malformed
 * or about other servers' communities.
 */
describe("a partner's counts as the hub reads them", () => {
  const printed: string[] = [];
  let hub: TestInstance;
  let partner: RawPeer;
  let copies: { id: string; uri: string | null }[];
  const counts = { views: 12, downloads: 3, joins: 2, activeMembers: 5 };

  const serve = (body: unknown) => partner.serve("/api/v1/directory/counts", body);
  const read = () => readPartnerCounts(hub.deps, partner.host, copies);
  const kept = () => hub.deps.db.select().from(partnerCounts);
  const logged = (line: string) => printed.some((each) => each.replaceAll("'", "").includes(line));

  beforeAll(async () => {
    for (const method of ["debug", "info", "warn", "error", "log"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        printed.push(format(...args));
      });
    }
    await configureLogging("warning");
    partner = await startRawPeer("127.0.30.40");
    hub = await startTestInstance({ ALLOW_PRIVATE_ADDRESSES: "true" });
    copies = await hub.deps.db
      .insert(communities)
      .values({
        slug: "water",
        name: "Water",
        privacy: "open",
        domain: partner.host,
        uri: `${partner.origin}/groups/water`,
      })
      .returning({ id: communities.id, uri: communities.uri });
  });
  afterAll(async () => {
    await reset();
    vi.restoreAllMocks();
    await hub?.close();
    await partner?.close();
  });

  it("keeps the counts of the partner's own communities", async () => {
    serve({
      to: "2026-12-01",
      items: [{ community: `${partner.origin}/groups/water`, ...counts }],
    });
    await read();
    expect(await kept()).toMatchObject([{ ...counts, countedTo: "2026-12-01" }]);
  });

  it("ignores counts that are not JSON, with a log line, keeping the last reading", async () => {
    serve("{ not JSON");
    await read();
    expect(logged(`Ignored the counts of ${partner.host}: they are not JSON`)).toBe(true);
    expect(await kept()).toMatchObject([counts]);
  });

  it("ignores counts larger than 256 KB, with a log line", async () => {
    serve({ to: "2026-12-01", items: [], padding: "x".repeat(300 * 1024) });
    await read();
    expect(logged(`Ignored the counts of ${partner.host}: they are larger than`)).toBe(true);
    expect(await kept()).toMatchObject([counts]);
  });

  it("ignores malformed counts, with a log line that says what is wrong", async () => {
    serve({
      to: "2026-12-01",
      items: [{ community: `${partner.origin}/groups/water`, ...counts, views: -4 }],
    });
    await read();
    expect(logged(`Ignored the counts of ${partner.host}: they are malformed (items.0.views`)).toBe(
      true,
    );
    expect(await kept()).toMatchObject([counts]);
  });

  it("ignores the counts of other servers' communities, with a log line", async () => {
    serve({
      to: "2026-12-02",
      items: [
        { community: "http://127.0.30.41/groups/water", ...counts, views: 999 },
        { community: `${partner.origin}/groups/water`, ...counts, views: 13 },
      ],
    });
    await read();
    expect(
      logged(`The counts of ${partner.host} name communities of other servers (1, such as`),
    ).toBe(true);
    expect(await kept()).toMatchObject([{ ...counts, views: 13, countedTo: "2026-12-02" }]);
  });
});
