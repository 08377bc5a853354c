import { createRoute, z } from "@hono/zod-openapi";
import { listNotifications, markNotificationsRead } from "../services/notifications.ts";
import { createRouter } from "./router.ts";
import { errorResponses, jsonResponse, Notification, PageQuery } from "./schemas.ts";
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

export const notificationsApi = createRouter()
  .openapi(list, async (c) => {
    const { unread, ...page } = c.req.valid("query");
    const result = await listNotifications(c.get("deps"), requireAccount(c), {
      ...page,
      unread: unread === "true",
    });
    return c.json(
      {
        items: result.page.items.map((n) => ({
          id: n.id,
          kind: n.kind,
          community: n.communityId,
          subject: n.subjectId,
          data: n.data,
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
  });
