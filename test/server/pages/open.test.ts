import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../../support/instance.ts";

/** The directory's "open a community from another server" field, which sends GET /open. */
describe("opening a community by its handle or address", () => {
  let praxis: TestInstance;
  beforeAll(async () => {
    praxis = await startTestInstance();
  });
  afterAll(() => praxis.close());

  const opened = async (handle: string) => {
    const answer = await praxis.request("GET", `/open?handle=${encodeURIComponent(handle)}`);
    expect(answer.status).toBe(303);
    return decodeURIComponent(answer.headers.get("location") ?? "");
  };

  it("goes to the community's page for a handle, with or without its leading @", async () => {
    expect(await opened("@spec@hub.example.org")).toBe("/c/spec@hub.example.org");
    expect(await opened(" spec@hub.example.org:8443 ")).toBe("/c/spec@hub.example.org:8443");
  });

  it("goes to the community's page for its address on Praxis, Lemmy or Mobilizon", async () => {
    expect(await opened("https://hub.example.org/c/spec/discussions")).toBe(
      "/c/spec@hub.example.org",
    );
    expect(await opened("http://127.0.0.2:3000/actors/spec")).toBe("/c/spec@127.0.0.2:3000");
    expect(await opened("https://lemmy.example/c/asklemmy")).toBe("/c/asklemmy@lemmy.example");
    expect(await opened("https://mobilizon.example/@climate")).toBe("/c/climate@mobilizon.example");
  });

  it("treats an address on this server as a local community", async () => {
    expect(await opened("http://praxis.test/c/local-circle")).toBe("/c/local-circle");
  });

  it("goes back to the directory when the field is empty", async () => {
    expect(await opened("  ")).toBe("/");
  });
});
