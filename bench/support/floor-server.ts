/**
 * The floor API latencies are compared with: a Hono route answering "hello", and one
 * answering after `SELECT 1` on the same PostgreSQL, in a process of their own.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import postgres from "postgres";

const sql = postgres(process.env.DATABASE_URL ?? "", { max: 10 });
const app = new Hono()
  .get("/hello", (c) => c.text("hello"))
  .get("/select-1", async (c) => c.json(await sql`select 1 as one`));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: process.env.HOST }, () =>
  console.log("ready"),
);
