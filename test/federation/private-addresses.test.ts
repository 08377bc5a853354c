import { configure, type LogRecord, reset } from "@logtape/logtape";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardOutgoingRequests, isPublicAddress } from "../../federation/outgoing-requests.ts";
import { addRemoteMember, type Listener, startListener } from "../support/inbox-listener.ts";
import { startTestInstance, type TestInstance } from "../support/instance.ts";
import { eventually } from "../support/peer.ts";

const timeoutMs = 5_000;

describe("deliveries to a member whose inbox is on a private address", () => {
  let praxis: TestInstance;
  let inbox: Listener;
  const records: LogRecord[] = [];

  beforeAll(async () => {
    await configure({
      sinks: { capture: (record) => records.push(record) },
      loggers: [
        { category: ["praxis", "federation"], lowestLevel: "warning", sinks: ["capture"] },
        { category: ["fedify", "federation", "outbox"], lowestLevel: "error", sinks: ["capture"] },
      ],
    });
    inbox = await startListener("127.0.0.60");
    guardOutgoingRequests({ timeoutMs, allowPrivateAddresses: false });
    praxis = await startTestInstance();
  });
  afterAll(async () => {
    await praxis.close();
    await inbox.close();
    await reset();
  });

  it("never sends them the signed POST, fails the delivery for Fedify to retry, and says why", async () => {
    const owner = await praxis.signUp("bulletin_owner");
    const created = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "bulletin", name: "Bulletin", privacy: "open" },
    });
    expect(created.status).toBe(201);
    const member = await addRemoteMember(praxis.deps.db, created.body.id, inbox.host, "insider");

    const posted = await praxis.request("POST", "/api/v1/communities/bulletin/announcements", {
      token: owner.token,
      body: { title: "Office move", content: "We move on Monday." },
    });
    expect(posted.status).toBe(201);

    const retryScheduled = (record: LogRecord) =>
      record.category.join(".") === "fedify.federation.outbox" &&
      String(record.rawMessage).includes("retry") &&
      record.properties.inbox === member.inbox;
    // An open community's new post goes out twice (relayed as its Create, and boosted), the
    // boost perhaps only after the Create's retry, as they are kept in order. Each delivery
    // tried is refused once, saying why, and given one retry: read once every refusal so far
    // has its retry, so that a second delivery refused meanwhile is not half counted.
    const seen = await eventually(
      async () => ({
        retried: records.filter(retryScheduled).map((record) => record.properties.activityId),
        refusals: records
          .filter((record) => record.category.includes("outgoing"))
          .map((record) => record.properties),
      }),
      ({ retried, refusals }) =>
        inbox.heard.length > 0 || (retried.length > 0 && refusals.length === retried.length),
      "the delivery attempt",
    );
    expect(inbox.heard).toEqual([]);
    expect(seen.retried.length).toBeGreaterThan(0);
    expect(new Set(seen.retried).size).toBe(seen.retried.length);
    expect(seen.refusals).toEqual(
      seen.retried.map(() => ({ host: "127.0.0.60", address: "127.0.0.60" })),
    );
  });
});

describe("any outgoing request of the process", () => {
  let byAddress: Listener;
  let byName: Listener;

  beforeAll(async () => {
    // "localhost" binds where the name resolves first (127.0.0.1 or ::1), on a free port.
    [byAddress, byName] = await Promise.all([
      startListener("127.0.0.62"),
      startListener("localhost"),
    ]);
  });
  afterAll(async () => {
    await Promise.all([byAddress.close(), byName.close()]);
  });

  it("refuses to connect to a name that resolves to loopback and to a private address literal", async () => {
    guardOutgoingRequests({ timeoutMs, allowPrivateAddresses: false });
    for (const url of [
      `http://localhost:${byName.port}/`,
      `http://127.0.0.62:${byAddress.port}/`,
    ]) {
      await expect(fetch(url), url).rejects.toMatchObject({
        message: "fetch failed",
        cause: { code: "ERR_PRIVATE_ADDRESS" },
      });
    }
    expect([...byName.heard, ...byAddress.heard]).toEqual([]);
  });

  it("connects to both when private addresses are allowed", async () => {
    guardOutgoingRequests({ timeoutMs, allowPrivateAddresses: true });
    expect((await fetch(`http://localhost:${byName.port}/`)).status).toBe(202);
    expect((await fetch(`http://127.0.0.62:${byAddress.port}/`)).status).toBe(202);
  });
});

describe("which addresses count as public", () => {
  const table: [address: string, isPublic: boolean][] = [
    ["93.184.215.14", true],
    ["8.8.8.8", true],
    ["172.32.0.1", true],
    ["100.128.0.1", true],
    ["2606:4700:4700::1111", true],
    ["127.0.0.1", false],
    ["127.0.0.60", false],
    ["10.1.2.3", false],
    ["172.16.0.1", false],
    ["172.31.255.254", false],
    ["192.168.1.1", false],
    ["169.254.169.254", false],
    ["100.64.0.1", false],
    ["0.0.0.0", false],
    ["224.0.0.1", false],
    ["255.255.255.255", false],
    ["::1", false],
    ["::", false],
    ["fc00::1", false],
    ["fd12:3456:789a::1", false],
    ["fe80::1", false],
    ["ff02::1", false],
    ["::ffff:127.0.0.1", false],
    ["::ffff:10.0.0.1", false],
    ["::ffff:7f00:1", false],
    ["64:ff9b::a00:1", false],
    ["not-an-address", false],
  ];

  it.each(table)("counts %s as public: %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
