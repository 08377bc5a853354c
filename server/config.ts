import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Cron } from "croner";
import { z } from "zod";

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"], {
    error: "must be true or false",
  })
  .transform((value) => value === "true" || value === "1" || value === "yes");

const urlWithScheme = (schemes: string[]) =>
  z
    .url({ error: `must be a URL starting with ${schemes.join(" or ")}` })
    .refine((value) => schemes.some((scheme) => value.startsWith(`${scheme}://`)), {
      error: `must be a URL starting with ${schemes.join(" or ")}`,
    });

/** Scheme, host and port, nothing more; what is not a URL at all is reported by the URL check. */
function isOriginOnly(value: string): boolean {
  if (!URL.canParse(value)) return true;
  const url = new URL(value);
  return url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
}

const periodSeconds = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** How many actions a limit allows in how long: `25/5m` is 25 every five minutes. */
export interface RateLimit {
  points: number;
  durationSeconds: number;
}

const rateLimitMessage = "must be a number of actions per period, like 25/5m (s, m, h or d)";
const rateLimit = z
  .string()
  .regex(/^[1-9]\d*\/[1-9]\d*[smhd]$/, { error: rateLimitMessage })
  .transform((value): RateLimit => {
    const [points = "", period = ""] = value.split("/");
    const unit = period.slice(-1) as keyof typeof periodSeconds;
    return {
      points: Number(points),
      durationSeconds: Number(period.slice(0, -1)) * periodSeconds[unit],
    };
  });

const wholeSeconds = z.coerce
  .number({ error: "must be a whole number of seconds" })
  .int({ error: "must be a whole number of seconds" })
  .positive({ error: "must be a whole number of seconds" });

const wholeDays = z.coerce
  .number({ error: "must be a whole number of days" })
  .int({ error: "must be a whole number of days" })
  .positive({ error: "must be a whole number of days" });

/** In the order of JavaScript's getUTCDay(), Sunday first. */
export const weekdays = [
  "sunday",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
] as const;
export type Weekday = (typeof weekdays)[number];

const ipAddressOrRange = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], {
  error: "must be IP addresses or ranges (like 10.0.0.0/8), separated by commas",
});

/** Whether croner reads the pattern, as the worker's schedules do (services/scheduled-runs.ts). */
function isCronPattern(pattern: string): boolean {
  try {
    new Cron(pattern, { timezone: "UTC", paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

/** Entries separated by commas, each trimmed; none when unset. */
const commaList = z
  .string()
  .optional()
  .transform((value) =>
    value
      ? value
          .split(",")
          .map((entry) => entry.trim())
          .filter(Boolean)
      : [],
  );

/** Servers separated by commas, in lower case. */
const hostList = commaList.transform((hosts) => hosts.map((host) => host.toLowerCase()));

const environmentSchema = z.object({
  PORT: z.coerce
    .number({ error: "must be a whole number between 1 and 65535" })
    .int({ error: "must be a whole number between 1 and 65535" })
    .min(1, { error: "must be a whole number between 1 and 65535" })
    .max(65535, { error: "must be a whole number between 1 and 65535" })
    .default(3000),
  HOST: z.string().min(1, { error: "must not be empty" }).default("0.0.0.0"),
  PUBLIC_URL: urlWithScheme(["http", "https"]).optional(),
  MEDIA_URL: urlWithScheme(["http", "https"])
    .refine(isOriginOnly, {
      error: "must be an origin only, without a path (like https://media.example.org)",
    })
    .optional(),
  DATABASE_URL: urlWithScheme(["postgres", "postgresql"]).optional(),
  DATA_DIR: z.string().min(1, { error: "must not be empty" }).default("./data"),
  SECRET_KEY: z
    .string()
    .min(32, { error: "must be at least 32 characters long (a long random string)" })
    .optional(),
  SMTP_URL: urlWithScheme(["smtp", "smtps"]).optional(),
  TRANSLATE_URL: urlWithScheme(["http", "https"]).optional(),
  TRANSLATE_API_KEY: z.string().min(1, { error: "must not be empty" }).optional(),
  TRANSLATE_TIMEOUT_SECONDS: wholeSeconds.default(20),
  MAIL_FROM: z.string().optional(),
  UPLOAD_LIMIT_MB: z.coerce
    .number({ error: "must be a number of megabytes" })
    .positive({ error: "must be a number of megabytes" })
    .max(2048, { error: "must be at most 2048 (megabytes)" })
    .default(25),
  IMAGE_UPLOAD_LIMIT_MB: z.coerce
    .number({ error: "must be a number of megabytes" })
    .positive({ error: "must be a number of megabytes" })
    .max(100, { error: "must be at most 100 (megabytes)" })
    .default(5),
  PRAXIS_ROLE: z
    .enum(["web", "worker", "all"], { error: "must be web, worker or all" })
    .default("all"),
  REGISTRATION_MODE: z
    .enum(["open", "approval", "invite"], { error: "must be open, approval or invite" })
    .default("open"),
  FEDERATION_ALLOWLIST: hostList,
  HUB_PARTNERS: hostList.pipe(
    z.array(
      z.string().regex(/^[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d{1,5})?$/, {
        error: "must be servers as in handles (host or host:port), separated by commas",
      }),
    ),
  ),
  SHARE_ANALYTICS_WITH_HUB: booleanFlag.default(false),
  DIRECTORY_REFRESH_SECONDS: z.coerce
    .number({ error: "must be a number of seconds" })
    .positive({ error: "must be a number of seconds" })
    .default(3600),
  ALLOW_PRIVATE_ADDRESSES: booleanFlag.default(false),
  QUEUE_HANDLER_TIMEOUT_SECONDS: z.coerce
    .number({ error: "must be a number of seconds" })
    .positive({ error: "must be a number of seconds" })
    .default(60),
  REMOTE_TIMEOUT_SECONDS: z.coerce
    .number({ error: "must be a number of seconds" })
    .positive({ error: "must be a number of seconds" })
    .default(10),
  DIGEST_HOUR: z.coerce
    .number({ error: "must be an hour of the day, 0 to 23 (UTC)" })
    .int({ error: "must be an hour of the day, 0 to 23 (UTC)" })
    .min(0, { error: "must be an hour of the day, 0 to 23 (UTC)" })
    .max(23, { error: "must be an hour of the day, 0 to 23 (UTC)" })
    .default(7),
  WEEKLY_DIGEST_DAY: z
    .enum(weekdays, { error: `must be a day of the week: ${weekdays.join(", ")}` })
    .default("monday"),
  INACTIVITY_DAYS: wholeDays.default(365),
  PENDING_REMINDER_DAYS: wholeDays.default(14),
  COFFEE_SCHEDULE: z
    .string()
    .refine(isCronPattern, {
      error: "must be a cron pattern read in UTC, like 0 9 * * 1#1 (the first Monday at 09:00)",
    })
    .default("0 9 * * 1#1"),
  PASSWORD_MIN_STRENGTH: z.coerce
    .number({ error: "must be a whole number from 0 (anything) to 4 (very hard to guess)" })
    .int({ error: "must be a whole number from 0 (anything) to 4 (very hard to guess)" })
    .min(0, { error: "must be a whole number from 0 (anything) to 4 (very hard to guess)" })
    .max(4, { error: "must be a whole number from 0 (anything) to 4 (very hard to guess)" })
    .default(3),
  TRUSTED_PROXIES: commaList.pipe(z.array(ipAddressOrRange)),
  // Defaults follow Mastodon's config/initializers/rack_attack.rb (sign-in, sign-up, media)
  // and app/lib/rate_limiter.rb (statuses); the inbox's follows GoToSocial's per-address
  // limit (internal/middleware/ratelimit.go, docs/api/ratelimiting.md).
  RATE_LIMIT_SIGN_IN_PER_CLIENT: rateLimit.prefault("25/5m"),
  RATE_LIMIT_REGISTRATIONS_PER_CLIENT: rateLimit.prefault("5/30m"),
  RATE_LIMIT_INVITATIONS_PER_ACCOUNT: rateLimit.prefault("100/1d"),
  RATE_LIMIT_WRITES_PER_ACCOUNT: rateLimit.prefault("300/3h"),
  RATE_LIMIT_UPLOADS_PER_ACCOUNT: rateLimit.prefault("30/30m"),
  RATE_LIMIT_INBOX_PER_SERVER: rateLimit.prefault("1000/5m"),
  RATE_LIMIT_PASSWORD_RESETS_PER_CLIENT: rateLimit.prefault("10/1h"),
  RATE_LIMIT_REPORTS_PER_ACCOUNT: rateLimit.prefault("20/1h"),
  SIGN_IN_FAILURES_BEFORE_LOCKOUT: z.coerce
    .number({ error: "must be a whole number of failed sign-ins" })
    .int({ error: "must be a whole number of failed sign-ins" })
    .positive({ error: "must be a whole number of failed sign-ins" })
    .default(5),
  SIGN_IN_LOCKOUT_SECONDS: wholeSeconds.default(30),
  SIGN_IN_LOCKOUT_MAX_SECONDS: wholeSeconds.default(3600),
  LOG_LEVEL: z
    .enum(["debug", "info", "warning", "error"], {
      error: "must be debug, info, warning or error",
    })
    .default("info"),
});

export type Role = "web" | "worker" | "all";
export type RegistrationMode = "open" | "approval" | "invite";

export interface Config {
  port: number;
  host: string;
  publicUrl: URL;
  /**
   * The separate origin that serves uploaded files' bytes, if any: there no upload can pass
   * for an ActivityPub document of `publicUrl`.
   */
  mediaUrl: URL | undefined;
  databaseUrl: string | undefined;
  dataDir: string;
  secretKey: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** A LibreTranslate-compatible service readers may ask for machine translations, if any. */
  translateUrl: URL | undefined;
  translateApiKey: string | undefined;
  /** How long a reader waits for that service before being told it did not answer. */
  translateTimeoutMs: number;
  uploadLimitBytes: number;
  /** The largest avatar or banner accepted before resizing. */
  imageUploadLimitBytes: number;
  role: Role;
  registrationMode: RegistrationMode;
  federationAllowlist: string[];
  /**
   * The servers whose directories this one reads and shows beside its own (HUB_PARTNERS, else
   * FEDERATION_ALLOWLIST), as hosts with their port when they have one.
   */
  partners: string[];
  /**
   * Whether this server publishes its listed communities' counts of the last 30 days (never
   * people) beside its directory, for the hubs that read it.
   */
  shareAnalyticsWithHub: boolean;
  /** How often a worker reads the partners' directories again. */
  directoryRefreshMs: number;
  allowPrivateAddresses: boolean;
  /** How long a queued job may run before its message is handed out again. */
  queueHandlerTimeoutMs: number;
  /** How long another server may take to connect, answer or send a body. */
  remoteTimeoutMs: number;
  /** The hour (UTC) at which daily and weekly digests go out. */
  digestHour: number;
  /** The day (UTC) on which weekly digests go out. */
  weeklyDigestDay: Weekday;
  /** Days without a new post or comment after which a community is dormant. */
  inactivityDays: number;
  /** Days a join request may wait before its community's owners and moderators are reminded. */
  pendingReminderDays: number;
  /** When coffee rounds pair people (services/coffee.ts), as a cron pattern read in UTC. */
  coffeeSchedule: string;
  logLevel: "debug" | "info" | "warning" | "error";
  /** The lowest zxcvbn score (0 to 4) a new password may have. */
  passwordMinStrength: number;
  /** Reverse proxies whose `X-Forwarded-For` names the client. */
  trustedProxies: string[];
  rateLimits: {
    /** Failed sign-ins from one client address, whatever the account. */
    signInPerClient: RateLimit;
    /** Accounts created from one client address. */
    registrationsPerClient: RateLimit;
    invitationsPerAccount: RateLimit;
    /** New posts, events and comments by one account. */
    writesPerAccount: RateLimit;
    uploadsPerAccount: RateLimit;
    /** Deliveries from one remote server (by its verified key), or from one address unverified. */
    inboxPerServer: RateLimit;
    /** Password reset requests from one client address, whether or not an account has the address. */
    passwordResetsPerClient: RateLimit;
    /** Reports by one account, of posts, comments, messages and people alike. */
    reportsPerAccount: RateLimit;
  };
  /**
   * Failed sign-ins in a row for one account from one client before sign-in pauses; each
   * further failure doubles the pause, up to the maximum. A success starts again at zero.
   */
  signInLockout: { failuresBefore: number; firstSeconds: number; maxSeconds: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Praxis cannot start, its configuration has problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

/** Reads the secret from DATA_DIR, creating it on first start so sessions survive restarts. */
function loadOrCreateSecret(dataDir: string): string {
  const path = join(dataDir, "secret_key");
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return secret;
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(environment).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return `${name}=${JSON.stringify(present[name] ?? "")}: ${issue.message}`;
      }),
    );
  }
  const env = parsed.data;
  const dataDir = resolve(env.DATA_DIR);
  const publicUrl = new URL(env.PUBLIC_URL ?? `http://localhost:${env.PORT}`);
  const mediaUrl = env.MEDIA_URL === undefined ? undefined : new URL(env.MEDIA_URL);
  // The media origin is told apart by the Host of each request, so it needs a host of its own.
  if (mediaUrl?.host === publicUrl.host) {
    throw new ConfigError([
      `MEDIA_URL=${JSON.stringify(env.MEDIA_URL)}: must have a host of its own, not PUBLIC_URL's (like media.example.org beside praxis.example.org)`,
    ]);
  }
  return {
    port: env.PORT,
    host: env.HOST,
    publicUrl,
    mediaUrl,
    databaseUrl: env.DATABASE_URL,
    dataDir,
    secretKey: env.SECRET_KEY ?? loadOrCreateSecret(dataDir),
    smtpUrl: env.SMTP_URL,
    translateUrl: env.TRANSLATE_URL === undefined ? undefined : new URL(env.TRANSLATE_URL),
    translateApiKey: env.TRANSLATE_API_KEY,
    translateTimeoutMs: env.TRANSLATE_TIMEOUT_SECONDS * 1000,
    mailFrom: env.MAIL_FROM ?? `Praxis <no-reply@${publicUrl.hostname}>`,
    uploadLimitBytes: Math.round(env.UPLOAD_LIMIT_MB * 1024 * 1024),
    imageUploadLimitBytes: Math.round(env.IMAGE_UPLOAD_LIMIT_MB * 1024 * 1024),
    role: env.PRAXIS_ROLE,
    registrationMode: env.REGISTRATION_MODE,
    federationAllowlist: env.FEDERATION_ALLOWLIST,
    partners: env.HUB_PARTNERS.length > 0 ? env.HUB_PARTNERS : env.FEDERATION_ALLOWLIST,
    shareAnalyticsWithHub: env.SHARE_ANALYTICS_WITH_HUB,
    directoryRefreshMs: env.DIRECTORY_REFRESH_SECONDS * 1000,
    allowPrivateAddresses: env.ALLOW_PRIVATE_ADDRESSES,
    digestHour: env.DIGEST_HOUR,
    weeklyDigestDay: env.WEEKLY_DIGEST_DAY,
    inactivityDays: env.INACTIVITY_DAYS,
    pendingReminderDays: env.PENDING_REMINDER_DAYS,
    coffeeSchedule: env.COFFEE_SCHEDULE,
    queueHandlerTimeoutMs: env.QUEUE_HANDLER_TIMEOUT_SECONDS * 1000,
    remoteTimeoutMs: env.REMOTE_TIMEOUT_SECONDS * 1000,
    logLevel: env.LOG_LEVEL,
    passwordMinStrength: env.PASSWORD_MIN_STRENGTH,
    trustedProxies: env.TRUSTED_PROXIES,
    rateLimits: {
      signInPerClient: env.RATE_LIMIT_SIGN_IN_PER_CLIENT,
      registrationsPerClient: env.RATE_LIMIT_REGISTRATIONS_PER_CLIENT,
      invitationsPerAccount: env.RATE_LIMIT_INVITATIONS_PER_ACCOUNT,
      writesPerAccount: env.RATE_LIMIT_WRITES_PER_ACCOUNT,
      uploadsPerAccount: env.RATE_LIMIT_UPLOADS_PER_ACCOUNT,
      inboxPerServer: env.RATE_LIMIT_INBOX_PER_SERVER,
      passwordResetsPerClient: env.RATE_LIMIT_PASSWORD_RESETS_PER_CLIENT,
      reportsPerAccount: env.RATE_LIMIT_REPORTS_PER_ACCOUNT,
    },
    signInLockout: {
      failuresBefore: env.SIGN_IN_FAILURES_BEFORE_LOCKOUT,
      firstSeconds: env.SIGN_IN_LOCKOUT_SECONDS,
      maxSeconds: Math.max(env.SIGN_IN_LOCKOUT_MAX_SECONDS, env.SIGN_IN_LOCKOUT_SECONDS),
    },
  };
}
