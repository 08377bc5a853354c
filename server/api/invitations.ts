import { createRoute, z } from "@hono/zod-openapi";
import {
  acceptInvitation,
  inviteByEmail,
  inviteByHandle,
  previewInvitation,
} from "../services/invitations.ts";
import { publishesProfileDetails } from "../services/privacy.ts";
import { createRouter } from "./router.ts";
import {
  Email,
  errorResponses,
  Invitation,
  jsonBody,
  jsonResponse,
  PublicAccount,
  RefParam,
} from "./schemas.ts";
import { requireAccount } from "./session.ts";
import { invitationJson, publicAccountJson } from "./shapes.ts";

const tags = ["Invitations"];
const TokenParam = z.object({
  token: z
    .string()
    .min(1)
    .max(2000)
    .openapi({ param: { name: "token", in: "path" } }),
});

const invite = createRoute({
  method: "post",
  path: "/communities/{ref}/invitations",
  tags,
  summary:
    "Invite someone by e-mail (a signed single-use link) or by fediverse handle (pre-approval)",
  request: {
    params: RefParam,
    body: jsonBody(
      z.union([
        z.object({ email: Email }).strict(),
        z
          .object({
            handle: z
              .string()
              .trim()
              .min(2)
              .max(300)
              .openapi({ example: "@amina@partner.example" }),
          })
          .strict(),
      ]),
    ),
  },
  responses: { 201: jsonResponse(Invitation, "Invitation sent"), ...errorResponses },
});

export const InvitationPreview = Invitation.extend({ invitedBy: PublicAccount }).openapi(
  "InvitationPreview",
);

const preview = createRoute({
  method: "get",
  path: "/invitations/{token}",
  tags,
  summary: "What an invitation link offers, and who sent it",
  request: { params: TokenParam },
  responses: {
    200: jsonResponse(InvitationPreview, "The invitation"),
    410: errorResponses[404],
    ...errorResponses,
  },
});

const accept = createRoute({
  method: "post",
  path: "/invitations/{token}/accept",
  tags,
  summary: "Accept a community invitation (once)",
  request: { params: TokenParam },
  responses: {
    200: jsonResponse(Invitation, "Joined"),
    410: errorResponses[404],
    ...errorResponses,
  },
});

export const invitationsApi = createRouter()
  .openapi(invite, async (c) => {
    const deps = c.get("deps");
    const { ref } = c.req.valid("param");
    const body = c.req.valid("json");
    const viewer = requireAccount(c);
    const view =
      "email" in body
        ? await inviteByEmail(deps, ref, viewer, body.email)
        : await inviteByHandle(deps, ref, viewer, body.handle);
    return c.json(invitationJson(view), 201);
  })
  .openapi(preview, async (c) => {
    const deps = c.get("deps");
    const view = await previewInvitation(deps, c.req.valid("param").token);
    return c.json(
      {
        ...invitationJson(view),
        // Whoever holds the link is not a member yet: only what the inviter shows everyone.
        invitedBy: publicAccountJson(deps, view.inviter, publishesProfileDetails(view.inviter)),
      },
      200,
    );
  })
  .openapi(accept, async (c) => {
    const view = await acceptInvitation(
      c.get("deps"),
      c.req.valid("param").token,
      requireAccount(c),
    );
    return c.json(invitationJson(view), 200);
  });
