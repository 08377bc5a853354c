import { createRoute, z } from "@hono/zod-openapi";
import { maxQuestionLength, questionStates } from "../../db/schema/questions.ts";
import type { Deps } from "../deps.ts";
import {
  answerQuestion,
  askQuestion,
  assignQuestion,
  listQuestions,
  type QuestionView,
  viewQuestion,
} from "../services/questions.ts";
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

const tags = ["Direct connect"];

const Text = z.string().trim().min(1).max(maxQuestionLength);

export const Question = z
  .object({
    id: z.uuid(),
    community: z.string().openapi({ description: "The community's ref" }),
    communityName: z.string(),
    body: z.string().openapi({ description: "Plain text, as the asker wrote it" }),
    state: z.enum(questionStates),
    asker: Author.nullable(),
    assignee: Author.nullable(),
    answer: z.string().nullable(),
    createdAt: z.iso.datetime(),
    answeredAt: z.iso.datetime().nullable(),
    viewer: z.object({
      may: z.object({ assign: z.boolean(), answer: z.boolean() }),
    }),
  })
  .openapi("Question");

function questionJson(deps: Deps, view: QuestionView): z.infer<typeof Question> {
  const { question } = view;
  return {
    id: question.id,
    community: refOf(view.community),
    communityName: view.community.name,
    body: question.body,
    state: question.state,
    asker: authorJson(deps, view.asker),
    assignee: authorJson(deps, view.assignee),
    answer: question.answer,
    createdAt: question.createdAt.toISOString(),
    answeredAt: question.answeredAt?.toISOString() ?? null,
    viewer: { may: view.may },
  };
}

const ask = createRoute({
  method: "post",
  path: "/communities/{ref}/questions",
  tags,
  summary: "Ask the community's facilitators a question, privately (members)",
  request: { params: RefParam, body: jsonBody(z.object({ body: Text }).strict()) },
  responses: { 201: jsonResponse(Question, "The question"), ...errorResponses },
});

const list = createRoute({
  method: "get",
  path: "/communities/{ref}/questions",
  tags,
  summary:
    "Questions you may read, newest first: all for facilitators, else those you asked or were handed",
  request: {
    params: RefParam,
    query: z.object({ state: z.enum(questionStates).optional(), ...PageQuery }),
  },
  responses: { 200: jsonResponse(pageOf(Question), "A page of questions"), ...errorResponses },
});

const one = createRoute({
  method: "get",
  path: "/questions/{id}",
  tags,
  summary: "A question you may read (its asker, its assignee or a facilitator)",
  request: { params: IdParam },
  responses: { 200: jsonResponse(Question, "The question"), ...errorResponses },
});

const assign = createRoute({
  method: "post",
  path: "/questions/{id}/assign",
  tags,
  summary: "Hand a question to a member of its community to answer (facilitators)",
  request: {
    params: IdParam,
    body: jsonBody(
      z
        .object({
          account: z
            .string()
            .trim()
            .min(1)
            .max(300)
            .openapi({ description: "A local member's username or handle", example: "amina_k" }),
        })
        .strict(),
    ),
  },
  responses: { 200: jsonResponse(Question, "The question"), ...errorResponses },
});

const answer = createRoute({
  method: "post",
  path: "/questions/{id}/answer",
  tags,
  summary: "Answer a question, once (its assignee or a facilitator)",
  request: { params: IdParam, body: jsonBody(z.object({ body: Text }).strict()) },
  responses: { 200: jsonResponse(Question, "The answered question"), ...errorResponses },
});

export const questionsApi = createRouter()
  .openapi(ask, async (c) => {
    const deps = c.get("deps");
    const view = await askQuestion(
      deps,
      c.req.valid("param").ref,
      requireAccount(c),
      c.req.valid("json").body,
    );
    return c.json(questionJson(deps, view), 201);
  })
  .openapi(list, async (c) => {
    const deps = c.get("deps");
    const page = await listQuestions(
      deps,
      c.req.valid("param").ref,
      requireAccount(c),
      c.req.valid("query"),
    );
    return c.json(
      { items: page.items.map((view) => questionJson(deps, view)), next: page.next },
      200,
    );
  })
  .openapi(one, async (c) => {
    const deps = c.get("deps");
    const view = await viewQuestion(deps, c.req.valid("param").id, requireAccount(c));
    return c.json(questionJson(deps, view), 200);
  })
  .openapi(assign, async (c) => {
    const deps = c.get("deps");
    const view = await assignQuestion(
      deps,
      c.req.valid("param").id,
      requireAccount(c),
      c.req.valid("json").account,
    );
    return c.json(questionJson(deps, view), 200);
  })
  .openapi(answer, async (c) => {
    const deps = c.get("deps");
    const view = await answerQuestion(
      deps,
      c.req.valid("param").id,
      requireAccount(c),
      c.req.valid("json").body,
    );
    return c.json(questionJson(deps, view), 200);
  });
