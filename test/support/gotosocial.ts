import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../db/embedded.ts";
import {
  installedPeer,
  type PeerProcess,
  startPeerProcess,
  waitFor,
} from "../peers/peer-process.ts";

/**
 * A real GoToSocial server (built by test/peers/install.sh), driven only through its own
 * command line and Mastodon client API, as a person's app would.
 */
export interface GoToSocial {
  /** host:port, as in its handles. */
  host: string;
  origin: string;
  /** A Mastodon API call with an account's token; answers JSON. */
  api<T = any>(
    method: string,
    path: string,
    token: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  /** The OAuth token of an account made at start, got through the sign-in and authorize pages. */
  token(username: string): Promise<string>;
  output(): string;
  stop(): Promise<void>;
}

export const gotosocialPassword = "Praxis-peer-password-1";
const redirectUri = "http://127.0.0.1/praxis-oauth-callback";

function configOf(address: string, port: number, dataDir: string, webDir: string) {
  // Each key is one of GoToSocial's own settings (example/config.yaml of its module).
  return `${[
    `host: "${address}:${port}"`,
    `protocol: "http"`,
    `bind-address: "${address}"`,
    `port: ${port}`,
    `db-type: "sqlite"`,
    `db-address: "${join(dataDir, "sqlite.db")}"`,
    `storage-local-base-path: "${join(dataDir, "storage")}"`,
    `web-template-base-dir: "${join(webDir, "template")}/"`,
    `web-asset-base-dir: "${join(webDir, "assets")}/"`,
    `log-level: "${process.env.GOTOSOCIAL_LOG_LEVEL ?? "info"}"`,
    `log-client-ip: false`,
    `accounts-registration-open: false`,
    `advanced-rate-limit-requests: 0`,
    `advanced-throttling-multiplier: 0`,
    `cache:`,
    `  memory-target: "64MiB"`,
    // Its dialer refuses loopback by default; every peer of this test is on 127.0.0.x.
    `http-client:`,
    `  allow-ips: ["127.0.0.0/8"]`,
    // It looks handles up over https only; the Praxis under test answers that with a
    // self-signed certificate (test/peers/https-front.ts).
    `  tls-insecure-skip-verify: true`,
    `  timeout: "10s"`,
  ].join("\n")}\n`;
}

/** A cookie jar of one server: enough for its sign-in form and OAuth pages. */
function cookieJar() {
  const cookies = new Map<string, string>();
  return {
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join("; "),
    keep(response: Response) {
      for (const cookie of response.headers.getSetCookie()) {
        const [pair = ""] = cookie.split(";");
        const at = pair.indexOf("=");
        cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
      }
    },
  };
}

export async function startGoToSocial(address: string, usernames: string[]): Promise<GoToSocial> {
  const binary = await installedPeer("gotosocial");
  const webDir = join(dirname(binary), "web");
  const dataDir = await mkdtemp(join(tmpdir(), "praxis-gotosocial-"));
  const port = await freePort(address);
  const configPath = join(dataDir, "config.yaml");
  await writeFile(configPath, configOf(address, port, dataDir, webDir));
  const env = {
    // Its ffmpeg is WebAssembly, compiled at each start unless cached (some 15 s on two cores).
    GTS_WAZERO_COMPILATION_CACHE: join(dirname(binary), "wazero-cache"),
  };
  const cli = (...args: string[]) =>
    promisify(execFile)(binary, ["--config-path", configPath, ...args], {
      cwd: dataDir,
      env: { ...process.env, ...env },
    });
  for (const username of usernames) {
    await cli(
      "admin",
      "account",
      "create",
      "--username",
      username,
      "--email",
      `${username}@example.org`,
      "--password",
      gotosocialPassword,
    );
    await cli("admin", "account", "confirm", "--username", username);
  }
  const server: PeerProcess = startPeerProcess(
    binary,
    ["--config-path", configPath, "server", "start"],
    { cwd: dataDir, env },
  );
  const origin = `http://${address}:${port}`;
  // It answers with a maintenance page until its workers have started.
  await waitFor(
    async () => {
      if (!server.running()) throw new Error("exited");
      const answer = await fetch(`${origin}/api/v1/instance`);
      return answer.status === 200 && answer.headers.get("content-type")?.includes("json")
        ? true
        : undefined;
    },
    `GoToSocial at ${origin} answering its API`,
    server.output,
    120_000,
  );

  async function api(method: string, path: string, token: string, body?: unknown) {
    const answer = await fetch(new URL(path, origin), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await answer.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    return { status: answer.status, body: parsed as any };
  }

  /**
   * GoToSocial grants tokens by authorization code only: register an app, sign in on its
   * form, allow the app on its authorize page, and trade the code for a token.
   */
  async function token(username: string): Promise<string> {
    const app = await (
      await fetch(`${origin}/api/v1/apps`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          client_name: "praxis-federation-test",
          redirect_uris: redirectUri,
          scopes: "read write follow",
        }),
      })
    ).json();
    const jar = cookieJar();
    const step = async (path: string, form?: Record<string, string>) => {
      const answer = await fetch(new URL(path, origin), {
        method: form ? "POST" : "GET",
        redirect: "manual",
        headers: {
          cookie: jar.header(),
          ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        },
        body: form ? new URLSearchParams(form) : undefined,
      });
      jar.keep(answer);
      await answer.arrayBuffer();
      return answer;
    };
    const query = new URLSearchParams({
      client_id: app.client_id,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "read write follow",
    });
    await step(`/oauth/authorize?${query}`);
    await step("/auth/sign_in", {
      username: `${username}@example.org`,
      password: gotosocialPassword,
    });
    await step("/oauth/authorize");
    const allowed = await step("/oauth/authorize", {});
    const code = new URL(allowed.headers.get("location") ?? "", origin).searchParams.get("code");
    if (!code) throw new Error(`GoToSocial gave no code (${allowed.status})\n${server.output()}`);
    const granted = await fetch(`${origin}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: app.client_id,
        client_secret: app.client_secret,
        redirect_uri: redirectUri,
        code,
      }),
    });
    const { access_token } = (await granted.json()) as { access_token?: string };
    if (!access_token) throw new Error(`GoToSocial gave no token (${granted.status})`);
    return access_token;
  }

  return {
    host: `${address}:${port}`,
    origin,
    api,
    token,
    output: server.output,
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
