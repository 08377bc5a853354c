import { createRoute, z } from "@hono/zod-openapi";
import { maxReportReasonLength, reportCategories, reportStates } from "../../db/schema/reports.ts";
import type { Deps } from "../deps.ts";
import {
  listAllReports,
  listCommunityReports,
  type ReportView,
  reportComment,
  reportPost,
  resolveReport,
} from "../services/reports.ts";
import { refOf } from "../urls.ts";
import { createRouter } from "./router.ts";
import {
  Author,
  errorResponses,
  IdParam,
  jsonBody,
  jsonResponse,
  PageQuery,
  pageOf,
  RefParam,
} from "./schemas.ts";
import { requireAccount } from "./session.ts";
import { authorJson } from "./shapes.ts";

const tags = ["Reports"];

const NewReport = z
  .object({
    category: z.enum(reportCategories),
    reason: z.string().trim().min(1).max(maxReportReasonLength),
    forward: z
      .boolean()
      .optional()
      .openapi({
        description:
          "Also tell the author's server and the community's home (a Flag); " +
          "when absent, only child-safety reports are told",
      }),
  })
  .strict();

const Report = z
  .object({
    id: z.uuid(),
    state: z.enum(reportStates),
    category: z.enum(reportCategories),
    reason: z.string(),
    forward: z.boolean(),
    createdAt: z.iso.datetime(),
    reporter: Author,
    community: z.string().openapi({ description: "The community's ref" }),
    communityName: z.string(),
    target: z.object({
      kind: z.enum(["post", "comment"]),
      id: z.uuid(),
      postId: z.uuid(),
      title: z.string(),
      content: z.string().openapi({ description: "Sanitised HTML; empty once removed" }),
      deleted: z.boolean(),
      author: Author.nullable(),
    }),
    resolution: z
      .object({
        note: z.string().nullable(),
        by: z.string().nullable(),
        at: z.iso.datetime(),
      })
      .nullable(),
  })
  .openapi("Report");

function reportJson(deps: Deps, view: ReportView): z.infer<typeof Report> {
  const { report, post, comment } = view;
  const reporter = authorJson(deps, view.reporter);
  if (!reporter) throw new Error("a report without its reporter");
  return {
    id: report.id,
    state: report.state,
    category: report.category,
    reason: report.reason,
    forward: report.forward,
    createdAt: report.createdAt.toISOString(),
    reporter,
    community: refOf(view.community),
    communityName: view.community.name,
    target: {
      kind: comment ? "comment" : "post",
      id: comment?.id ?? post.id,
      postId: post.id,
      title: post.title,
      content: comment?.content ?? post.content,
      deleted: Boolean(comment ? comment.deletedAt : post.deletedAt),
      author: view.author ? authorJson(deps, view.author) : null,
    },
    resolution: report.resolvedAt
      ? {
          note: report.resolutionNote,
          by: view.resolvedBy?.username ?? null,
          at: report.resolvedAt.toISOString(),
        }
      : null,
  };
}

const file = (target: "posts" | "comments") =>
  createRoute({
    method: "post",
    path: `/${target}/{id}/reports`,
    tags,
    summary: `Report a ${target === "posts" ? "post" : "comment"} you can read to its moderators`,
    request: { params: IdParam, body: jsonBody(NewReport) },
    responses: { 201: jsonResponse(Report, "The report"), ...errorResponses },
  });

const ReportListQuery = z.object({ state: z.enum(reportStates).default("open"), ...PageQuery });

const ofCommunity = createRoute({
  method: "get",
  path: "/communities/{ref}/reports",
  tags,
  summary: "The community's reports, newest first (moderators and up)",
  request: { params: RefParam, query: ReportListQuery },
  responses: { 200: jsonResponse(pageOf(Report), "A page of reports"), ...errorResponses },
});

const ofInstance = createRoute({
  method: "get",
  path: "/admin/reports",
  tags,
  summary: "Every report on this server, newest first (the instance administrator)",
  request: { query: ReportListQuery },
  responses: { 200: jsonResponse(pageOf(Report), "A page of reports"), ...errorResponses },
});

const resolve = createRoute({
  method: "post",
  path: "/reports/{id}/resolve",
  tags,
  summary: "Remove the reported content (which resolves its open reports), or dismiss the report",
  request: {
    params: IdParam,
    body: jsonBody(
      z
        .object({
          action: z.enum(["remove", "dismiss"]),
          note: z.string().trim().max(maxReportReasonLength).optional(),
        })
        .strict(),
    ),
  },
  responses: { 200: jsonResponse(Report, "The decided report"), ...errorResponses },
});

export const reportsApi = createRouter()
  .openapi(file("posts"), async (c) => {
    const deps = c.get("deps");
    const report = await reportPost(
      deps,
      c.req.valid("param").id,
      requireAccount(c),
      c.req.valid("json"),
    );
    return c.json(reportJson(deps, report), 201);
  })
  .openapi(file("comments"), async (c) => {
    const deps = c.get("deps");
    const report = await reportComment(
      deps,
      c.req.valid("param").id,
      requireAccount(c),
      c.req.valid("json"),
    );
    return c.json(reportJson(deps, report), 201);
  })
  .openapi(ofCommunity, async (c) => {
    const deps = c.get("deps");
    const page = await listCommunityReports(
      deps,
      c.req.valid("param").ref,
      requireAccount(c),
      c.req.valid("query"),
    );
    return c.json(
      { items: page.items.map((view) => reportJson(deps, view)), next: page.next },
      200,
    );
  })
  .openapi(ofInstance, async (c) => {
    const deps = c.get("deps");
    const page = await listAllReports(deps, requireAccount(c), c.req.valid("query"));
    return c.json(
      { items: page.items.map((view) => reportJson(deps, view)), next: page.next },
      200,
    );
  })
  .openapi(resolve, async (c) => {
    const deps = c.get("deps");
    const report = await resolveReport(
      deps,
      c.req.valid("param").id,
      requireAccount(c),
      c.req.valid("json"),
    );
    return c.json(reportJson(deps, report), 200);
  });
