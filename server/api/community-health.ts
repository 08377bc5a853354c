import { createRoute, z } from "@hono/zod-openapi";
import { reactivateCommunity } from "../services/community-health.ts";
import { setDigestFeature } from "../services/digest-features.ts";
import { createRouter } from "./router.ts";
import { errorResponses, IdParam, jsonResponse, RefParam } from "./schemas.ts";
import { requireAccount } from "./session.ts";

/*
 * The community-health loop's actions (issue 16): a dormant community's admins reactivate it
 * with a plan date (archiving it is the settings' `archived`), and facilitators feature posts
 * for the weekly mail.
 */

const tags = ["Community health"];

const reactivate = createRoute({
  method: "post",
  path: "/communities/{ref}/reactivate",
  tags,
  summary: "Reactivate a dormant community: new content is planned by a day within a year",
  request: {
    params: RefParam,
    body: {
      content: {
        "application/json": {
          schema: z.object({ planDate: z.iso.date().openapi({ example: "2027-03-01" }) }),
        },
      },
    },
  },
  responses: {
    200: jsonResponse(
      z.object({ activityPlannedFor: z.iso.date() }),
      "It counts as active until that day has passed",
    ),
    ...errorResponses,
  },
});

const digestFeature = (method: "post" | "delete") =>
  createRoute({
    method,
    path: "/posts/{id}/digest-feature",
    tags,
    summary:
      method === "post"
        ? "Feature a post for the next weekly mail (facilitators)"
        : "Stop featuring a post for the weekly mail",
    request: { params: IdParam },
    responses: {
      200: jsonResponse(
        z.object({ digestFeaturedAt: z.string().nullable() }),
        "When it was featured, or null",
      ),
      ...errorResponses,
    },
  });

export const communityHealthApi = createRouter().openapi(reactivate, async (c) => {
  const community = await reactivateCommunity(
    c.get("deps"),
    c.req.valid("param").ref,
    requireAccount(c),
    c.req.valid("json").planDate,
  );
  return c.json({ activityPlannedFor: community.activityPlannedFor ?? "" }, 200);
});

for (const method of ["post", "delete"] as const) {
  communityHealthApi.openapi(digestFeature(method), async (c) => {
    const featuredAt = await setDigestFeature(
      c.get("deps"),
      c.req.valid("param").id,
      requireAccount(c),
      method === "post",
    );
    return c.json({ digestFeaturedAt: featuredAt?.toISOString() ?? null }, 200);
  });
}
