import { createRoute, z } from "@hono/zod-openapi";
import {
  listNotifications,
  markNotificationsRead,
  openNotification,
} from "../services/notifications.ts";
import { handleOf, refOf } from "../urls.ts";
import { createRouter } from "./router.ts";
import { errorResponses, IdParam, jsonResponse, Notification, PageQuery } from "./schemas.ts";
import { requireAccount } from "./session.ts";

const tags = ["Notifications"];

const list = createRoute({
  method: "get",
  path: "/notifications",
  tags,
  summary: "Your notifications, newest first, with the unread count",
  request: { query: z.object({ unread: z.enum(["true", "false"]).optional(), ...PageQuery }) },
  responses: {
    200: jsonResponse(
      z.object({
        items: z.array(Notification),
        next: z.string().nullable(),
        unread: z.number().int(),
      }),
      "Notifications",
    ),
    ...errorResponses,
  },
});

const read = createRoute({
  method: "post",
  path: "/notifications/read",
  tags,
  summary: "Mark notifications read (all of them when `ids` is absent)",
  request: {
    body: {
      required: false,
      content: {
        "application/json": {
          schema: z.object({ ids: z.array(z.uuid()).max(500).optional() }).strict(),
        },
      },
    },
  },
  responses: {
    200: jsonResponse(z.object({ read: z.number().int() }), "How many were marked"),
    ...errorResponses,
  },
});

const open = createRoute({
  method: "get",
  path: "/notifications/{id}/open",
  tags,
  summary: "Open a notification: it is marked read and the answer sends you to what it is about",
  request: { params: IdParam },
  responses: {
    303: { description: "Read; `Location` is its target (a page of the site)" },
    ...errorResponses,
  },
});

export const notificationsApi = createRouter()
  .openapi(list, async (c) => {
    const { unread, ...page } = c.req.valid("query");
    const result = await listNotifications(c.get("deps"), requireAccount(c), {
      ...page,
      unread: unread === "true",
    });
    return c.json(
      {
        items: result.page.items.map(({ notification: n, actor, community, target }) => ({
          id: n.id,
          kind: n.kind,
          community: n.communityId,
          subject: n.subjectId,
          data: n.data,
          actor: actor && {
            username: actor.username,
            displayName: actor.displayName,
            handle: handleOf(c.get("deps").config.publicUrl, actor.username, actor),
          },
          place: community && { ref: refOf(community), name: community.name },
          target,
          read: n.readAt !== null,
          createdAt: n.createdAt.toISOString(),
        })),
        next: result.page.next,
        unread: result.unread,
      },
      200,
    );
  })
  .openapi(read, async (c) => {
    const count = await markNotificationsRead(
      c.get("deps"),
      requireAccount(c),
      c.req.valid("json").ids,
    );
    return c.json({ read: count }, 200);
  })
  .openapi(open, async (c) => {
    const target = await openNotification(
      c.get("deps"),
      requireAccount(c),
      c.req.valid("param").id,
    );
    return c.redirect(target, 303);
  });
