import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../../support/instance.ts";

describe("unsubscribing from news e-mails", () => {
  let praxis: TestInstance;
  beforeAll(async () => {
    praxis = await startTestInstance();
  });
  afterAll(() => praxis.close());

  it("asks on GET, turns the e-mails off on POST, and refuses a forged link", async () => {
    const owner = await praxis.signUp("owner_person");
    const reader = await praxis.signUp("reader", { locale: "fr" });
    await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "bulletin", name: "Bulletin", privacy: "open" },
    });
    await praxis.request("POST", "/api/v1/communities/bulletin/join", { token: reader.token });
    await praxis.request("POST", "/api/v1/communities/bulletin/announcements", {
      token: owner.token,
      body: { title: "First issue", content: "Welcome to the bulletin." },
    });
    const [mail] = await praxis.mails();
    const link = /http:\/\/praxis\.test\/unsubscribe\/\S+/.exec(mail?.text ?? "")?.[0] ?? "";
    expect(link).not.toBe("");

    const asked = await praxis.app.request(link, { headers: { "accept-language": "fr" } });
    expect(await asked.text()).toContain('<form method="post">');
    expect(
      (await praxis.request("GET", "/api/v1/me", { token: reader.token })).body.emailNotifications,
    ).toBe("each");

    const done = await praxis.app.request(link, { method: "POST" });
    expect(done.status).toBe(200);
    expect(
      (await praxis.request("GET", "/api/v1/me", { token: reader.token })).body.emailNotifications,
    ).toBe("none");

    await praxis.request("POST", "/api/v1/communities/bulletin/announcements", {
      token: owner.token,
      body: { title: "Second issue", content: "Nobody should get this by mail." },
    });
    expect(await praxis.mails()).toHaveLength(1);

    const forged = await praxis.app.request(`${link.slice(0, -3)}abc`, { method: "POST" });
    expect(forged.status).toBe(404);
  });
});
