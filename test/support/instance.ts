import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { createPraxisFederation } from "../../federation/index.ts";
import { PostgresKvStore } from "../../federation/kv.ts";
import { createApp } from "../../server/app.ts";
import { loadConfig } from "../../server/config.ts";
import { createDeps, type Deps } from "../../server/deps.ts";
import { freshDatabase } from "./database.ts";

export const testOrigin = "http://praxis.test";

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  body?: unknown;
  token?: string | undefined;
  headers?: Record<string, string>;
}

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The first link in the text part. */
  link: string | undefined;
}

export interface Person {
  id: string;
  username: string;
  token: string;
}

/** An in-process Praxis on its own fresh database and data directory. */
export interface TestInstance {
  deps: Deps;
  app: ReturnType<typeof createApp>;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<Answer<T>>;
  /** Registers and signs in an account; the first one of an instance is its administrator. */
  signUp(username: string, extra?: Record<string, unknown>): Promise<Person>;
  mails(): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startTestInstance(env: Record<string, string> = {}): Promise<TestInstance> {
  const database = await freshDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), "praxis-test-data-"));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PUBLIC_URL: testOrigin,
    LOG_LEVEL: "error",
    ...env,
  });
  const deps = createDeps(config, database.db);
  const app = createApp(deps, createPraxisFederation(deps, new PostgresKvStore(database.sql)));

  async function request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: BodyInit | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await app.request(new URL(path, testOrigin).href, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  return {
    deps,
    app,
    request,
    async signUp(username, extra = {}) {
      const password = "a long enough password";
      const created = await request("POST", "/api/v1/accounts", {
        body: { username, email: `${username.toLowerCase()}@example.org`, password, ...extra },
      });
      if (created.status !== 201)
        throw new Error(`sign-up of ${username} failed: ${JSON.stringify(created.body)}`);
      const session = await request("POST", "/api/v1/sessions", {
        body: { login: username, password },
      });
      return { id: created.body.id, username, token: session.body?.token };
    },
    async mails() {
      const folder = join(dataDir, "mail");
      const files = (await readdir(folder).catch(() => [] as string[])).sort();
      return Promise.all(
        files.map(async (file) => {
          const mail = await simpleParser(await readFile(join(folder, file)));
          const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
          const text = mail.text ?? "";
          return {
            to: to?.value[0]?.address ?? "",
            subject: mail.subject ?? "",
            text,
            html: typeof mail.html === "string" ? mail.html : "",
            link: /https?:\/\/\S+/.exec(text)?.[0],
          };
        }),
      );
    },
    async close() {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
