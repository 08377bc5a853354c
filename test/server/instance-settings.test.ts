import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";

/**
 * The instance administrator names the server, describes it, writes its rules and chooses how
 * people register; anyone reads them, registration follows the choice and NodeInfo tells it.
 */
describe("instance settings", () => {
  let praxis: TestInstance;
  let admin: Person;
  let member: Person;

  const patch = (body: unknown, by: Person | null = admin) =>
    praxis.request("PATCH", "/api/v1/admin/instance", { token: by?.token, body });
  const register = (username: string) =>
    praxis.request("POST", "/api/v1/accounts", {
      body: { username, email: `${username}@example.org`, password: "a long enough password" },
    });

  beforeAll(async () => {
    praxis = await startTestInstance({ REGISTRATION_MODE: "open" });
    admin = await praxis.signUp("amina");
    member = await praxis.signUp("bruno");
  });
  afterAll(() => praxis?.close());

  it("tells anyone, signed out, the server's name, rules and registration mode", async () => {
    const answer = await praxis.request("GET", "/api/v1/instance");
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      name: "praxis.test",
      description: "",
      rules: [],
      registrationMode: "open",
    });
  });

  it("lets only the instance administrator change them", async () => {
    expect((await patch({ name: "Nope" }, null)).status).toBe(401);
    const refused = await patch({ name: "Nope" }, member);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("admin_only");
    expect((await praxis.request("GET", "/api/v1/instance")).body.name).toBe("praxis.test");
  });

  it("refuses an empty rule, an overlong name and an unknown mode with a clear 400", async () => {
    const emptyRule = await patch({ rules: ["Be kind", "  "] });
    expect(emptyRule.status).toBe(400);
    expect(emptyRule.body.error.code).toBe("invalid_input");
    expect(emptyRule.body.error.message).toMatch(/not valid/);
    expect((await patch({ name: "x".repeat(101) })).status).toBe(400);
    expect((await patch({ registrationMode: "sometimes" })).status).toBe(400);
  });

  it("keeps what the administrator writes, and shows the rules on the registration page", async () => {
    const rules = ["Protect children's privacy: no names, no photos.", "Cite your sources."];
    const saved = await patch({
      name: "Social Protection Practice",
      description: "Practitioners of social protection in West Africa.",
      rules,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ name: "Social Protection Practice", rules });
    const read = await praxis.request("GET", "/api/v1/instance");
    expect(read.body.description).toBe("Practitioners of social protection in West Africa.");
    // Drawn on the server, so a browser without scripts reads the rules before registering.
    const page = await praxis.app.request("http://praxis.test/register");
    const html = await page.text();
    expect(html).toContain("Rules of Social Protection Practice");
    expect(html).toContain("Cite your sources.");
  });

  it("makes registration follow the chosen mode, and REGISTRATION_MODE again once unset", async () => {
    expect((await patch({ registrationMode: "invite" })).body.registrationMode).toBe("invite");
    const closed = await register("carla");
    expect(closed.status).toBe(403);
    expect(closed.body.error.code).toBe("registration_closed");

    await patch({ registrationMode: "approval" });
    const waiting = await register("dmitri");
    expect(waiting.status).toBe(201);
    expect(waiting.body.state).toBe("pending");

    const unset = await patch({ registrationMode: null });
    expect(unset.body.registrationMode).toBe("open");
    const open = await register("carla");
    expect(open.status).toBe(201);
    expect(open.body.state).toBe("active");
  });

  it("names the server in NodeInfo and says whether registrations are open", async () => {
    await patch({ registrationMode: "approval" });
    const answer = await praxis.request("GET", "/nodeinfo/2.1", {
      headers: { accept: "application/json" },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.openRegistrations).toBe(false);
    expect(answer.body.metadata).toMatchObject({
      nodeName: "Social Protection Practice",
      nodeDescription: "Practitioners of social protection in West Africa.",
      registrationMode: "approval",
    });
  });
});
