import { type Context, getKeyOwner, signRequest, verifyRequest } from "@fedify/fedify";
import type { Account } from "../db/schema/accounts.ts";
import { DomainError } from "../server/errors.ts";
import type { FederationContext } from "./context.ts";
import { findRemoteAccount } from "./remote-actors.ts";

type Ctx = Context<FederationContext>;

/**
 * The person on another server who signed a plain HTTP request (a file download), as kept
 * here: the key must verify and its owner's own document must list it. Null for anyone else.
 */
export async function signerOf(ctx: Ctx, request: Request): Promise<Account | null> {
  if (!request.headers.has("signature") && !request.headers.has("signature-input")) return null;
  const options = { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader };
  const key = await verifyRequest(request, options).catch(() => null);
  const owner = key ? await getKeyOwner(key, options).catch(() => null) : null;
  return owner?.id ? findRemoteAccount(ctx.data.deps, owner.id.href) : null;
}

/** Reads at most `limit` bytes of a response body, or fails. */
async function bytesOf(response: Response, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(response.headers.get("content-length") ?? 0);
  if (declared > limit || !response.body) throw new DomainError("home_server_unavailable");
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new DomainError("home_server_unavailable");
    }
    chunks.push(read.value);
  }
  return new Uint8Array(Buffer.concat(chunks, size));
}

/**
 * A members-only file of a community elsewhere, fetched from its home with the signed request
 * of the local member asking for it: the home decides, per person, as for its own members.
 */
export async function fetchFileAs(
  ctx: Ctx,
  member: Account,
  url: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const [pair] = await ctx.getActorKeyPairs(member.username.toLowerCase());
  if (!pair) throw new Error(`${member.username} has no key pair`);
  const request = await signRequest(new Request(url), pair.privateKey, pair.keyId, {
    spec: "draft-cavage-http-signatures-12",
  });
  const response = await fetch(request, {
    signal: AbortSignal.timeout(ctx.data.deps.config.remoteTimeoutMs),
  }).catch(() => null);
  if (response?.status === 404 || response?.status === 401 || response?.status === 403) {
    throw new DomainError("post_not_found");
  }
  if (!response?.ok) throw new DomainError("home_server_unavailable");
  return bytesOf(response, ctx.data.deps.config.uploadLimitBytes);
}
