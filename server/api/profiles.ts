import { createRoute, z } from "@hono/zod-openapi";
import { findPeople, viewProfile } from "../services/profiles.ts";
import { actorUriOf } from "../urls.ts";
import { createRouter } from "./router.ts";
import { errorResponses, jsonResponse, PageQuery, PublicAccount, pageOf } from "./schemas.ts";
import { requireAccount, viewerOf } from "./session.ts";
import { publicAccountJson } from "./shapes.ts";

const tags = ["People"];
const filterText = (description: string) =>
  z.string().trim().min(1).max(200).optional().openapi({ description });

/** What the member directory and the finder of people filter by (services/profiles.ts). */
export const PeopleFilterQuery = {
  q: filterText("Words in the name, the handle or an expertise topic"),
  expertise: filterText("An expertise topic, exactly"),
  country: filterText("The country, as the person wrote it (matches only where you may see it)"),
  language: filterText("A language they speak, as a BCP 47 tag (`pt` finds pt-BR too)"),
  profession: filterText("Words in the profession (matches only where you may see it)"),
};

const HandleParam = z.object({
  handle: z
    .string()
    .max(300)
    .regex(/^@?[\p{L}\p{N}_.-]+(?:@[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d{1,5})?)?$/iu, {
      error: "handle",
    })
    .openapi({
      param: { name: "handle", in: "path" },
      example: "amina_k",
      description: "A username here, or `name@host` for a person of another server known here",
    }),
});

export const Profile = PublicAccount.extend({
  uri: z.string().openapi({ description: "The person's ActivityPub id" }),
  bio: z.string(),
  communities: z
    .array(z.object({ ref: z.string(), name: z.string() }))
    .openapi({ description: "Their communities that you may read, by name" }),
}).openapi("Profile");

const profile = createRoute({
  method: "get",
  path: "/accounts/{handle}",
  tags,
  summary: "A person's profile, with their profession, organisation and country as they allow",
  request: { params: HandleParam },
  responses: {
    200: jsonResponse(Profile, "The profile"),
    ...errorResponses,
  },
});

const people = createRoute({
  method: "get",
  path: "/people",
  tags,
  summary: "Find resource people here and known from other servers (signed in), oldest first",
  request: {
    query: z.object({
      ...PeopleFilterQuery,
      resourcePeople: z
        .enum(["true", "false"])
        .default("true")
        .openapi({ description: "Only those who offer to be a resource person (default)" }),
      ...PageQuery,
    }),
  },
  responses: { 200: jsonResponse(pageOf(PublicAccount), "A page of people"), ...errorResponses },
});

export const profilesApi = createRouter()
  .openapi(profile, async (c) => {
    const deps = c.get("deps");
    const view = await viewProfile(deps, c.req.valid("param").handle, viewerOf(c));
    const { account } = view;
    return c.json(
      {
        ...publicAccountJson(deps, account, view.seesDetails),
        uri: actorUriOf(deps.config.publicUrl, account.username, account),
        bio: account.bio,
        communities: view.communities,
      },
      200,
    );
  })
  .openapi(people, async (c) => {
    const deps = c.get("deps");
    const { resourcePeople, ...query } = c.req.valid("query");
    const page = await findPeople(deps, requireAccount(c), {
      ...query,
      resourcePeople: resourcePeople === "true",
    });
    return c.json(
      {
        items: page.items.map((view) => publicAccountJson(deps, view.account, view.seesDetails)),
        next: page.next,
      },
      200,
    );
  });
