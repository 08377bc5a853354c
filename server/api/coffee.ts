import { createRoute, z } from "@hono/zod-openapi";
import { coffeeStatus, joinCoffee, leaveCoffee } from "../services/coffee.ts";
import { createRouter } from "./router.ts";
import { errorResponses, jsonResponse, RefParam } from "./schemas.ts";
import { requireAccount } from "./session.ts";

const tags = ["Coffee connections"];

export const CoffeeStatus = z
  .object({
    joined: z.boolean().openapi({ description: "Whether you take part in the rounds" }),
    participants: z.number().int().openapi({ description: "How many members take part" }),
    nextRound: z.iso.datetime().nullable().openapi({ description: "When the next round pairs" }),
  })
  .openapi("CoffeeStatus");

const statusJson = (status: Awaited<ReturnType<typeof coffeeStatus>>) => ({
  ...status,
  nextRound: status.nextRound?.toISOString() ?? null,
});

const route = (method: "get" | "put" | "delete", summary: string) =>
  createRoute({
    method,
    path: "/communities/{ref}/coffee",
    tags,
    summary,
    request: { params: RefParam },
    responses: { 200: jsonResponse(CoffeeStatus, "Your part in the rounds"), ...errorResponses },
  });

export const coffeeApi = createRouter()
  .openapi(
    route("get", "Whether you take part in the community's coffee rounds (members)"),
    async (c) =>
      c.json(
        statusJson(await coffeeStatus(c.get("deps"), c.req.valid("param").ref, requireAccount(c))),
        200,
      ),
  )
  .openapi(
    route("put", "Take part in the community's coffee rounds (members of a community here)"),
    async (c) =>
      c.json(
        statusJson(await joinCoffee(c.get("deps"), c.req.valid("param").ref, requireAccount(c))),
        200,
      ),
  )
  .openapi(route("delete", "Stop taking part in the community's coffee rounds"), async (c) =>
    c.json(
      statusJson(await leaveCoffee(c.get("deps"), c.req.valid("param").ref, requireAccount(c))),
      200,
    ),
  );
