import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { simpleParser } from "mailparser";

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

export type Requester = <T = any>(
  method: string,
  path: string,
  options?: RequestOptions,
) => Promise<Answer<T>>;

export const testPassword = "a long enough password";

/** JSON requests the way the API's clients send them, through `send` (in-process or HTTP). */
export function requester(
  origin: string,
  send: (request: Request) => Promise<Response>,
): Requester {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: BodyInit | undefined;
    if (options.body instanceof FormData) {
      body = options.body;
    } else if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await send(new Request(new URL(path, origin), { method, headers, body }));
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    return { status: response.status, body: parsed as any, headers: response.headers };
  };
}

/** Registers and signs in an account; the first one of an instance is its administrator. */
export async function signUpWith(
  request: Requester,
  username: string,
  extra: Record<string, unknown> = {},
): Promise<Person> {
  const created = await request("POST", "/api/v1/accounts", {
    body: {
      username,
      email: `${username.toLowerCase()}@example.org`,
      password: testPassword,
      ...extra,
    },
  });
  if (created.status !== 201)
    throw new Error(`sign-up of ${username} failed: ${JSON.stringify(created.body)}`);
  const session = await request("POST", "/api/v1/sessions", {
    body: { login: username, password: testPassword },
  });
  return { id: created.body.id, username, token: session.body?.token };
}

/** The mails an instance without SMTP_URL wrote under its data directory, oldest first. */
export async function readMailbox(dataDir: string): Promise<ReceivedMail[]> {
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
}
