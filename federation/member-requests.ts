import { type Context, getKeyOwner, signRequest, verifyRequest } from "@fedify/fedify";
import type { Account } from "../db/schema/accounts.ts";
import { DomainError } from "../server/errors.ts";
import { readAtMost } from "../server/limits/bounded-body.ts";
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
  const file = await readAtMost(response, ctx.data.deps.config.uploadLimitBytes);
  if (!file) throw new DomainError("home_server_unavailable");
  return new Uint8Array(file);
}
