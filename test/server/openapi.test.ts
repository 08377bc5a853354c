import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../support/instance.ts";

describe("OpenAPI document", () => {
  let praxis: TestInstance;
  beforeAll(async () => {
    praxis = await startTestInstance();
  });
  afterAll(() => praxis.close());

  it("describes every call of the contract, generated from the request validators", async () => {
    const answer = await praxis.request("GET", "/api/v1/openapi.json");
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toBe("3.1.0");
    const paths = Object.keys(answer.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/accounts",
        "/sessions",
        "/me",
        "/communities",
        "/communities/{ref}",
        "/communities/{ref}/join",
        "/communities/{ref}/leave",
        "/communities/{ref}/members",
        "/communities/{ref}/members/{id}/approve",
        "/communities/{ref}/members/{id}/reject",
        "/communities/{ref}/members/{id}",
        "/communities/{ref}/invitations",
      ]),
    );
    const privacy =
      answer.body.paths["/communities"].post.requestBody.content["application/json"].schema;
    const resolved = privacy.$ref
      ? answer.body.components.schemas[privacy.$ref.split("/").at(-1)]
      : privacy;
    expect(resolved.properties.privacy.enum).toEqual(["open", "public", "semi_private", "private"]);
  });
});
