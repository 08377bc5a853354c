import type { Sink } from "@logtape/logtape";

const redacted = "[redacted]";

/** The members that make a JWK a private (or secret) key. */
const privateJwkMembers = new Set(["d", "p", "q", "dp", "dq", "qi", "oth", "k"]);

/** Fields whose values are secrets wherever they appear, whatever their case or separators. */
function isSecretField(name: string): boolean {
  const bare = name.toLowerCase().replaceAll(/[-_]/g, "");
  return /password|secret|privatekey|token$|^(proxy)?authorization$|^(set)?cookie$/.test(bare);
}

/** A JSON member: its name, the colon, and a string (maybe cut short) or a flat object. */
const jsonMember = /"([\w-]+)"(\s*:\s*)("(?:[^"\\]|\\.)*"?|\{[^{}]*\}?)/g;

const pemPrivateKey =
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g;

/** Secret members of the JSON that a text holds, at any depth. */
function redactJsonMembers(text: string): string {
  return text.replaceAll(jsonMember, (member, name: string, colon: string, value: string) => {
    if (isSecretField(name) || privateJwkMembers.has(name)) return `"${name}"${colon}"${redacted}"`;
    return value.startsWith("{") ? `"${name}"${colon}${redactJsonMembers(value)}` : member;
  });
}

/**
 * Secrets inside text: a database error quotes the parameters of the query that failed, and
 * for a queue insert that is every message as JSON, with its actors' private JWKs.
 */
function redactText(text: string): string {
  return redactJsonMembers(text.replaceAll(pemPrivateKey, redacted));
}

/** A copy of an error, own properties and all (message, stack, cause, a query's parameters). */
function redactError(error: Error, seen: WeakMap<object, unknown>): Error {
  const copy = Object.create(Object.getPrototypeOf(error)) as Error;
  seen.set(error, copy);
  for (const name of Object.getOwnPropertyNames(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, name);
    if (!descriptor) continue;
    if ("value" in descriptor) {
      descriptor.value = isSecretField(name) ? redacted : redact(descriptor.value, seen);
    }
    Object.defineProperty(copy, name, descriptor);
  }
  return copy;
}

/**
 * A copy of `value` with every secret replaced. Plain objects, arrays, errors, headers and
 * strings are walked; other objects (URLs, dates, CryptoKeys, vocabulary objects) print
 * themselves without secrets and are kept as they are.
 */
function redact(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value !== "object" || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(redact(item, seen));
    return copy;
  }
  if (value instanceof Error) return redactError(value, seen);
  if (value instanceof Headers) {
    const headers = new Headers(value);
    for (const name of headers.keys()) if (isSecretField(name)) headers.set(name, redacted);
    return headers;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  const isJwk = typeof (value as { kty?: unknown }).kty === "string";
  for (const [name, item] of Object.entries(value)) {
    const secret = isSecretField(name) || (isJwk && privateJwkMembers.has(name));
    copy[name] = secret ? redacted : redact(item, seen);
  }
  return copy;
}

/**
 * Wraps a sink so that nothing secret reaches it: private keys (Fedify's outbox and fan-out
 * messages carry the sender's private JWKs, and errors about them quote them), passwords,
 * tokens, SECRET_KEY, and Authorization and Cookie headers. At the sink, it holds for every
 * logger, ours and Fedify's, and for whatever a record's properties or errors carry.
 */
export function redactSecrets(sink: Sink): Sink {
  return (record) => {
    const seen = new WeakMap<object, unknown>();
    sink({
      ...record,
      message: record.message.map((part) => redact(part, seen)),
      properties: redact(record.properties, seen) as Record<string, unknown>,
    });
  };
}
