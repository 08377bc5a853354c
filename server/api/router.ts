import { OpenAPIHono } from "@hono/zod-openapi";
import type { z } from "zod";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import type { Locale } from "../i18n.ts";
import type { Session } from "../services/sessions.ts";

export interface AppEnv {
  Variables: {
    deps: Deps;
    session: Session | null;
    locale: Locale;
  };
}

export interface FieldProblem {
  field: string;
  problem: string;
  limit?: number;
}

const namedFormats = new Set(["username", "slug", "email", "handle"]);

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (value, key) =>
      value !== null && typeof value === "object"
        ? (value as Record<PropertyKey, unknown>)[key]
        : undefined,
    input,
  );
}

/** Names what is wrong with a field in words locales/ can translate (`validation.<problem>`). */
function describeIssue(issue: z.core.$ZodIssue, input: unknown): FieldProblem {
  const field = issue.path.join(".") || "body";
  if (namedFormats.has(issue.message)) return { field, problem: issue.message };
  switch (issue.code) {
    case "invalid_type":
      return {
        field,
        problem:
          valueAt(input, issue.path) === undefined ? "required" : `expected_${issue.expected}`,
      };
    case "too_small":
      return {
        field,
        problem: issue.origin === "string" ? "too_short" : "too_small",
        limit: Number(issue.minimum),
      };
    case "too_big":
      return {
        field,
        problem: issue.origin === "string" ? "too_long" : "too_big",
        limit: Number(issue.maximum),
      };
    case "invalid_value":
      return { field, problem: "not_allowed" };
    case "unrecognized_keys":
      return { field: issue.keys.join(", "), problem: "unknown_field" };
    default:
      return { field, problem: "invalid" };
  }
}

export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        // @hono/zod-validator passes the raw input as `data` even on failure; its type omits it.
        const input = (result as { data?: unknown }).data;
        const issues = result.error.issues.map((issue) => describeIssue(issue, input));
        throw new DomainError("invalid_input", {}, issues);
      }
    },
  });
}
