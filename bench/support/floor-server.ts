/**
 * The floor API figures are compared with, in a process of their own: Hono answering a post
 * read by its primary key, a statement postgres.js prepares, through the pool Praxis opens
 * (`connect`, same size and settings).
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { connect } from "../../db/index.ts";

const { sql } = connect(process.env.DATABASE_URL ?? "");
const app = new Hono().get("/api/v1/posts/:id", async (c) => {
  const [post] = await sql`select id, title, created_at from posts where id = ${c.req.param("id")}`;
  return post ? c.json(post) : c.notFound();
});
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: process.env.HOST }, () =>
  console.log("ready"),
);
