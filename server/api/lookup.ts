import { createRoute, z } from "@hono/zod-openapi";
import { handlePattern, lookUpHandle } from "../services/lookup.ts";
import { seesProfileDetails } from "../services/privacy.ts";
import { createRouter } from "./router.ts";
import { Community, errorResponses, jsonResponse, PublicAccount } from "./schemas.ts";
import { viewerOf } from "./session.ts";
import { communityJson, publicAccountJson } from "./shapes.ts";

const Found = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("account"), account: PublicAccount }),
    z.object({ kind: z.literal("community"), community: Community }),
  ])
  .openapi("LookupResult");

const route = createRoute({
  method: "get",
  path: "/lookup",
  tags: ["Discovery"],
  summary: "The account or community a fediverse handle names, here or on another server",
  description:
    "A handle of another server is resolved through WebFinger the first time it is asked for. A hidden community, a refused server or one that does not answer is not found.",
  request: {
    query: z.object({
      handle: z.string().max(300).regex(handlePattern, { error: "handle" }).openapi({
        example: "@gender-sp@hub.example.org",
        description: "`@name@host` or `name@host`",
      }),
    }),
  },
  responses: { 200: jsonResponse(Found, "What the handle names"), ...errorResponses },
});

export const lookupApi = createRouter().openapi(route, async (c) => {
  const deps = c.get("deps");
  const viewer = viewerOf(c);
  const found = await lookUpHandle(deps, c.req.valid("query").handle, viewer);
  return c.json(
    found.kind === "account"
      ? {
          kind: found.kind,
          // Met in no community here: only what the person shows everyone.
          account: publicAccountJson(
            deps,
            found.account,
            seesProfileDetails(found.account, viewer, null),
          ),
        }
      : { kind: found.kind, community: communityJson(deps, found.view) },
    200,
  );
});
