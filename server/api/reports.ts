import { createRoute, z } from "@hono/zod-openapi";
import { maxReportReasonLength, reportCategories, reportStates } from "../../db/schema/reports.ts";
import type { Deps } from "../deps.ts";
import {
  listAllReports,
  listCommunityReports,
  type ReportView,
  reportActions,
  reportComment,
  reportMessage,
  reportPerson,
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

export const Report = z
  .object({
    id: z.uuid(),
    state: z.enum(reportStates),
    category: z.enum(reportCategories),
    reason: z.string(),
    forward: z.boolean(),
    createdAt: z.iso.datetime(),
    reporter: Author,
    community: z
      .string()
      .nullable()
      .openapi({ description: "The community's ref; null for a direct message" }),
    communityName: z.string(),
    target: z.object({
      kind: z.enum(["post", "comment", "file", "event", "person", "message"]),
      id: z.uuid(),
      postId: z
        .uuid()
        .nullable()
        .openapi({ description: "Null for a report about a person or a message" }),
      title: z.string().openapi({ description: "The post's title, or the person's name" }),
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

/** What the report is about, as a moderator reads it. */
function targetJson(deps: Deps, view: ReportView): z.infer<typeof Report>["target"] {
  const { report, post, comment, message } = view;
  const author = view.author ? authorJson(deps, view.author) : null;
  if (message) {
    return {
      kind: "message",
      id: message.id,
      postId: null,
      title: "",
      content: message.content,
      deleted: Boolean(message.deletedAt),
      author,
    };
  }
  if (!post) {
    return {
      kind: "person",
      id: report.subjectAccountId ?? "",
      postId: null,
      title: view.author?.displayName || view.author?.username || "",
      content: "",
      deleted: false,
      author,
    };
  }
  const kind = comment
    ? "comment"
    : post.kind === "file" || post.kind === "event"
      ? post.kind
      : "post";
  return {
    kind,
    id: comment?.id ?? post.id,
    postId: post.id,
    title: post.title,
    content: comment?.content ?? post.content,
    deleted: Boolean(comment ? comment.deletedAt : post.deletedAt),
    author,
  };
}

function reportJson(deps: Deps, view: ReportView): z.infer<typeof Report> {
  const { report } = view;
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
    community: view.community ? refOf(view.community) : null,
    communityName: view.community?.name ?? "",
    target: targetJson(deps, view),
    resolution: report.resolvedAt
      ? {
          note: report.resolutionNote,
          by: view.resolvedBy?.username ?? null,
          at: report.resolvedAt.toISOString(),
        }
      : null,
  };
}

/** What can be reported at `/{target}/{id}/reports`, and what the address names. */
const reportable = {
  posts: { what: "a post", kinds: undefined },
  comments: { what: "a comment", kinds: undefined },
  files: { what: "a shared file", kinds: ["file"] },
  events: { what: "an event", kinds: ["event"] },
} as const;

const fileMessage = createRoute({
  method: "post",
  path: "/messages/{id}/reports",
  tags,
  summary:
    "Report a direct message in one of your conversations to the instance administrator " +
    "(forward: also to its author's server, as a Flag)",
  request: { params: IdParam, body: jsonBody(NewReport) },
  responses: { 201: jsonResponse(Report, "The report"), ...errorResponses },
});

const file = (target: keyof typeof reportable) =>
  createRoute({
    method: "post",
    path: `/${target}/{id}/reports`,
    tags,
    summary: `Report ${reportable[target].what} you can read to its moderators`,
    request: { params: IdParam, body: jsonBody(NewReport) },
    responses: { 201: jsonResponse(Report, "The report"), ...errorResponses },
  });

const filePerson = createRoute({
  method: "post",
  path: "/accounts/{id}/reports",
  tags,
  summary: "Report a person's conduct in a community to its moderators",
  request: {
    params: IdParam,
    body: jsonBody(
      NewReport.extend({
        community: z.string().min(1).openapi({ description: "The community's ref" }),
      }).omit({ forward: true }),
    ),
  },
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
  summary: "Decide on a report: remove the content, act on the person, or dismiss it",
  request: {
    params: IdParam,
    body: jsonBody(
      z
        .object({
          action: z.enum(reportActions).openapi({
            description:
              "remove: delete the content; dismiss; remove_person: out of the community; " +
              "ban_person: banned from it (the instance administrator suspends the account); " +
              "block_domain: stop federating with the author's server (instance administrator)",
          }),
          note: z.string().trim().max(maxReportReasonLength).optional(),
        })
        .strict(),
    ),
  },
  responses: { 200: jsonResponse(Report, "The decided report"), ...errorResponses },
});

export const reportsApi = createRouter()
  .openapi(filePerson, async (c) => {
    const deps = c.get("deps");
    const report = await reportPerson(
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
  .openapi(fileMessage, async (c) => {
    const deps = c.get("deps");
    const report = await reportMessage(
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

for (const target of ["posts", "files", "events"] as const) {
  reportsApi.openapi(file(target), async (c) => {
    const deps = c.get("deps");
    const report = await reportPost(
      deps,
      c.req.valid("param").id,
      requireAccount(c),
      c.req.valid("json"),
      reportable[target].kinds,
    );
    return c.json(reportJson(deps, report), 201);
  });
}
