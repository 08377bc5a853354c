import { createRoute, z } from "@hono/zod-openapi";
import { registrationModes } from "../../db/schema/instance-settings.ts";
import { updateInstance, viewInstance } from "../services/instance-settings.ts";
import { createRouter } from "./router.ts";
import { errorResponses, jsonBody, jsonResponse } from "./schemas.ts";
import { requireAccount } from "./session.ts";

export const Instance = z
  .object({
    name: z.string(),
    description: z.string(),
    rules: z.array(z.string()),
    registrationMode: z.enum(registrationModes),
  })
  .openapi("Instance");

const InstanceChanges = z
  .object({
    name: z.string().trim().max(100).optional(),
    description: z.string().trim().max(2000).optional(),
    rules: z.array(z.string().trim().min(1).max(500)).max(50).optional(),
    registrationMode: z
      .enum(registrationModes)
      .nullable()
      .optional()
      .openapi({ description: "null gives the choice back to REGISTRATION_MODE" }),
  })
  .strict();

const show = createRoute({
  method: "get",
  path: "/instance",
  tags: ["Instance"],
  summary: "This server: its name, description, rules, and how people may register",
  responses: { 200: jsonResponse(Instance, "The instance"), ...errorResponses },
});

const update = createRoute({
  method: "patch",
  path: "/admin/instance",
  tags: ["Instance administration"],
  summary: "Change the instance's name, description, rules or registration mode",
  request: { body: jsonBody(InstanceChanges) },
  responses: { 200: jsonResponse(Instance, "The instance"), ...errorResponses },
});

export const instanceApi = createRouter()
  .openapi(show, async (c) => c.json(await viewInstance(c.get("deps")), 200))
  .openapi(update, async (c) => {
    const instance = await updateInstance(c.get("deps"), requireAccount(c), c.req.valid("json"));
    return c.json(instance, 200);
  });
