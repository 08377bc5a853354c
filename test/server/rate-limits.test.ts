import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Requester, requester, signUpWith, testPassword } from "../support/client.ts";
import { freshDatabase } from "../support/database.ts";
import { clientAt } from "../support/from-address.ts";
import { letLimitTimePass } from "../support/limits.ts";
import { killLaunched, startPraxis, startPraxisAt } from "../support/process.ts";
import { contexts, type RawPeer, signedRequest, startRawPeer } from "../support/raw-peer.ts";

/** Small limits, so that each is reached in a few requests. */
const limits = {
  RATE_LIMIT_SIGN_IN_PER_CLIENT: "12/5m",
  RATE_LIMIT_REGISTRATIONS_PER_CLIENT: "4/30m",
  RATE_LIMIT_INVITATIONS_PER_ACCOUNT: "2/1d",
  RATE_LIMIT_WRITES_PER_ACCOUNT: "3/1h",
  RATE_LIMIT_UPLOADS_PER_ACCOUNT: "2/1h",
  RATE_LIMIT_INBOX_PER_SERVER: "3/5m",
  RATE_LIMIT_PASSWORD_RESETS_PER_CLIENT: "2/1h",
  RATE_LIMIT_REPORTS_PER_ACCOUNT: "2/1h",
  SIGN_IN_FAILURES_BEFORE_LOCKOUT: "3",
  SIGN_IN_LOCKOUT_SECONDS: "30",
  SIGN_IN_LOCKOUT_MAX_SECONDS: "3600",
};

const retryAfter = (answer: { headers: Headers }) => Number(answer.headers.get("retry-after"));

/**
 * Two web processes of one instance on one database, as behind a load balancer; the first
 * also runs the worker. Clients at other loopback addresses stand for other networks. Time
 * passes by moving the counters' ends in the database (letLimitTimePass).
 */
describe("limits against abuse", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let dataDir: string;
  let origin: string;
  let secondOrigin: string;
  let peer: RawPeer;
  const clients = {
    owner: clientAt("127.0.3.6"),
    desk: clientAt("127.0.3.7"),
    forger: clientAt("127.0.3.8"),
    crowd: clientAt("127.0.3.9"),
    newsroom: clientAt("127.0.3.10"),
  };

  /** Requests to one of the two processes, from the test's own address or a client's. */
  const via = (process: "first" | "second", send = (request: Request) => fetch(request)) =>
    requester(origin, (request) => {
      const target = process === "first" ? origin : secondOrigin;
      return send(new Request(request.url.replace(origin, target), request));
    });

  beforeAll(async () => {
    database = await freshDatabase();
    dataDir = await mkdtemp(join(tmpdir(), "praxis-limits-"));
    const shared = {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      SECRET_KEY: "one secret for both web processes, long enough to sign",
      ALLOW_PRIVATE_ADDRESSES: "true",
      LOG_LEVEL: "error",
      ...limits,
    };
    origin = (await startPraxisAt("127.0.3.1", shared)).origin;
    const other = await startPraxis({
      ...shared,
      HOST: "127.0.3.2",
      PUBLIC_URL: origin,
      PRAXIS_ROLE: "web",
    });
    secondOrigin = `http://127.0.3.2:${other.port}`;
    peer = await startRawPeer("127.0.3.3");
  }, 120_000);

  afterAll(async () => {
    await killLaunched();
    await Promise.all([peer?.close(), ...Object.values(clients).map((client) => client.close())]);
    await database?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const signIn = (request: Requester, login: string, password: string) =>
    request("POST", "/api/v1/sessions", { body: { login, password } });

  it("pauses sign-in after wrong passwords in a row, longer each time, never for the owner elsewhere", async () => {
    await signUpWith(via("first"), "guarded");
    for (const process of ["first", "second", "first"] as const) {
      expect((await signIn(via(process), "guarded", "wrong password!")).status).toBe(401);
    }
    // Counted across both processes: the next try is refused unread, even the right one.
    const paused = await signIn(via("second"), "guarded", testPassword);
    expect(paused.status).toBe(429);
    expect(paused.body.error.code).toBe("sign_in_locked");
    expect(paused.body.error.message).toContain("try again in 1 minute");
    expect(retryAfter(paused)).toBeGreaterThan(25);
    expect(retryAfter(paused)).toBeLessThanOrEqual(30);
    // Its e-mail address names the same account.
    expect((await signIn(via("first"), "guarded@example.org", testPassword)).status).toBe(429);
    // Its owner, on another network, is not paused by what happens here.
    const owner = via("second", clients.owner.send);
    expect((await signIn(owner, "guarded", testPassword)).status).toBe(200);

    await letLimitTimePass(database.sql, 30);
    expect((await signIn(via("first"), "guarded", "wrong again!")).status).toBe(401);
    const longer = await signIn(via("first"), "guarded", testPassword);
    expect(longer.status).toBe(429);
    expect(retryAfter(longer)).toBeGreaterThan(55);

    await letLimitTimePass(database.sql, 60);
    expect((await signIn(via("first"), "guarded", testPassword)).status).toBe(200);
    // A success starts the count again.
    for (let n = 0; n < 3; n++) {
      expect((await signIn(via("second"), "guarded", "wrong password!")).status).toBe(401);
    }
    expect((await signIn(via("second"), "guarded", testPassword)).status).toBe(429);
  });

  it("limits failed sign-ins from one client whatever the account, and not successful ones", async () => {
    const desk = (process: "first" | "second") => via(process, clients.desk.send);
    await signUpWith(via("first", clients.owner.send), "busy_desk");
    for (let n = 0; n < 3; n++) {
      expect((await signIn(desk("first"), "busy_desk", testPassword)).status).toBe(200);
    }
    for (let n = 0; n < 12; n++) {
      const process = n % 2 ? "first" : "second";
      expect((await signIn(desk(process), `nobody${n}`, "wrong password!")).status).toBe(401);
    }
    const refused = await signIn(desk("first"), "busy_desk", testPassword);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("too_many_sign_in_attempts");
    expect(retryAfter(refused)).toBeGreaterThan(250);
    await letLimitTimePass(database.sql, 5 * 60);
    expect((await signIn(desk("second"), "busy_desk", testPassword)).status).toBe(200);
  });

  it("limits the accounts one client creates, even sent all at once, and not by refusals", async () => {
    const crowd = (process: "first" | "second") => via(process, clients.crowd.send);
    const register = (process: "first" | "second", username: string, password = testPassword) =>
      crowd(process)("POST", "/api/v1/accounts", {
        body: { username, email: `${username}@example.org`, password },
      });
    // A weak password refused does not use up the allowance.
    for (let n = 0; n < 5; n++) {
      expect((await register("second", "crowd_retry", "aaaaaaaaaa")).status).toBe(422);
    }
    const burst = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => register(n % 2 ? "first" : "second", `crowd${n}`)),
    );
    expect(burst.map((answer) => answer.status).sort()).toEqual([201, 201, 201, 201, 429, 429]);
    const refused = await register("first", "crowd_later");
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("too_many_registrations");
    expect(refused.body.error.message).toContain("try again in 30 minutes");
    expect(retryAfter(refused)).toBeGreaterThan(29 * 60);
    await letLimitTimePass(database.sql, 30 * 60);
    expect((await register("second", "crowd_later")).status).toBe(201);
  });

  it("limits one account's posts and comments, uploads and invitations, not another's", async () => {
    const organiser = await signUpWith(via("first", clients.owner.send), "organiser");
    const member = await signUpWith(via("second", clients.owner.send), "member");
    const as =
      (person: { token: string }, process: "first" | "second") =>
      (method: string, path: string, body?: unknown) =>
        via(process)(method, path, { token: person.token, body });
    expect(
      (
        await as(organiser, "first")("POST", "/api/v1/communities", {
          slug: "limits-lab",
          name: "Limits lab",
          privacy: "open",
        })
      ).status,
    ).toBe(201);
    const thread = await as(organiser, "first")(
      "POST",
      "/api/v1/communities/limits-lab/discussions",
      {
        title: "First",
        content: "One",
      },
    );
    expect(thread.status).toBe(201);
    // Refused writes do not count.
    expect(
      (
        await as(organiser, "second")("POST", "/api/v1/communities/limits-lab/discussions", {
          title: "",
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await as(organiser, "second")("POST", `/api/v1/posts/${thread.body.id}/comments`, {
          content: "Two",
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await as(organiser, "first")("POST", "/api/v1/communities/limits-lab/announcements", {
          title: "Third",
          content: "Three",
        })
      ).status,
    ).toBe(201);
    const tooMany = await as(organiser, "second")(
      "POST",
      "/api/v1/communities/limits-lab/discussions",
      {
        title: "Fourth",
        content: "Four",
      },
    );
    expect(tooMany.status).toBe(429);
    expect(tooMany.body.error.code).toBe("too_many_writes");
    expect(retryAfter(tooMany)).toBeGreaterThan(3500);
    await as(member, "first")("POST", "/api/v1/communities/limits-lab/join", {});
    expect(
      (
        await as(member, "first")("POST", `/api/v1/posts/${thread.body.id}/comments`, {
          content: "Still mine to say",
        })
      ).status,
    ).toBe(201);

    const upload = (process: "first" | "second", name: string) => {
      const form = new FormData();
      form.set("file", new File(["%PDF-1.4\n"], name));
      return via(process)("POST", "/api/v1/communities/limits-lab/files", {
        token: organiser.token,
        body: form,
      });
    };
    expect((await upload("first", "a.pdf")).status).toBe(201);
    expect((await upload("second", "b.pdf")).status).toBe(201);
    const thirdFile = await upload("first", "c.pdf");
    expect(thirdFile.status).toBe(429);
    expect(thirdFile.body.error.code).toBe("too_many_uploads");

    const invite = (process: "first" | "second", email: string) =>
      as(organiser, process)("POST", "/api/v1/communities/limits-lab/invitations", { email });
    expect((await invite("first", "one@example.org")).status).toBe(201);
    expect((await invite("second", "two@example.org")).status).toBe(201);
    const thirdInvitation = await invite("first", "three@example.org");
    expect(thirdInvitation.status).toBe(429);
    expect(thirdInvitation.body.error.code).toBe("too_many_invitations");
    expect(thirdInvitation.body.error.message).toContain("try again in");
  });

  it("limits reset requests per client, and one account's reports whatever they are of, as configured", async () => {
    const reset = (process: "first" | "second") =>
      via(process, clients.newsroom.send)("POST", "/api/v1/password-resets", {
        body: { email: "nobody@example.org" },
      });
    expect([(await reset("first")).status, (await reset("second")).status]).toEqual([202, 202]);
    const thirdReset = await reset("first");
    expect(thirdReset.status).toBe(429);
    expect(thirdReset.body.error.code).toBe("too_many_password_resets");

    const host = await signUpWith(via("first", clients.newsroom.send), "deskhost");
    const reporter = await signUpWith(via("second", clients.newsroom.send), "deskreporter");
    const as = (person: { token: string }) => (method: string, path: string, body?: unknown) =>
      via("first")(method, path, { token: person.token, body });
    await as(host)("POST", "/api/v1/communities", {
      slug: "limits-desk",
      name: "Limits desk",
      privacy: "open",
    });
    const thread = await as(host)("POST", "/api/v1/communities/limits-desk/discussions", {
      title: "Open thread",
      content: "Anyone may answer.",
    });
    const comment = await as(host)("POST", `/api/v1/posts/${thread.body.id}/comments`, {
      content: "A first answer.",
    });
    const report = { category: "spam", reason: "It sells something." };
    expect(
      (await as(reporter)("POST", `/api/v1/posts/${thread.body.id}/reports`, report)).status,
    ).toBe(201);
    expect(
      (await as(reporter)("POST", `/api/v1/comments/${comment.body.id}/reports`, report)).status,
    ).toBe(201);
    // A report of a person counts against the same limit as one of their writing.
    const thirdReport = await as(reporter)("POST", `/api/v1/accounts/${host.id}/reports`, {
      ...report,
      community: "limits-desk",
    });
    expect(thirdReport.status).toBe(429);
    expect(thirdReport.body.error.code).toBe("too_many_reports");
  });

  it("limits deliveries per remote server, charging forged signatures to their sender's address", async () => {
    const alice = peer.person("alice");
    let n = 0;
    const like = () => ({
      "@context": contexts,
      id: `${peer.origin}/likes/${++n}`,
      type: "Like",
      actor: alice.id,
      object: `${origin}/nothing-here`,
    });
    const forged = { keyId: alice.keyId, privateKey: peer.keyPair().privateKey };
    const forgery = () =>
      clients.forger.send(signedRequest("POST", `${origin}/inbox`, forged, like()));
    expect([(await forgery()).status, (await forgery()).status, (await forgery()).status]).toEqual([
      401, 401, 401,
    ]);
    expect((await forgery()).status).toBe(429);

    const deliver = (process: "first" | "second") =>
      fetch(
        signedRequest(
          "POST",
          `${process === "first" ? origin : secondOrigin}/inbox`,
          alice,
          like(),
        ),
      );
    // The forger used up nothing of alice's server.
    expect((await deliver("first")).status).toBe(202);
    expect((await deliver("second")).status).toBe(202);
    expect((await deliver("first")).status).toBe(202);
    const slowDown = await deliver("second");
    expect(slowDown.status).toBe(429);
    expect(retryAfter(slowDown)).toBeGreaterThan(250);
    expect((await slowDown.json()).error.code).toBe("rate_limited");
    await letLimitTimePass(database.sql, 5 * 60);
    expect((await deliver("first")).status).toBe(202);
  });
});
