import { getLogger } from "@logtape/logtape";
import type { Account } from "../../db/schema/accounts.ts";
import type { Config } from "../config.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { viewPost } from "./posts.ts";
import { saveMachineTranslation, type TranslationView, translationsOf } from "./translations.ts";

const logger = getLogger(["praxis", "translation"]);

/** Whether the operator configured a machine-translation service (TRANSLATE_URL). */
export const offersMachineTranslation = (config: Pick<Config, "translateUrl">) =>
  config.translateUrl !== undefined;

/**
 * One text through the LibreTranslate API (POST /translate): `source` "auto" lets the service
 * guess a language the post could not be labelled with.
 */
async function translated(
  config: Config,
  url: URL,
  text: string,
  source: string,
  target: string,
  format: "html" | "text",
): Promise<string> {
  let answer: Response;
  try {
    answer = await fetch(new URL("translate", url.href.endsWith("/") ? url : `${url.href}/`), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        q: text,
        source,
        target,
        format,
        ...(config.translateApiKey ? { api_key: config.translateApiKey } : {}),
      }),
      signal: AbortSignal.timeout(config.translateTimeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    logger.warn("The translation service failed: {error}", { error: String(error) });
    throw new DomainError(timedOut ? "translation_service_timeout" : "translation_service_failed");
  }
  const body = (await answer.json().catch(() => null)) as { translatedText?: unknown } | null;
  if (!answer.ok || typeof body?.translatedText !== "string") {
    logger.warn("The translation service answered {status}", { status: answer.status });
    throw new DomainError("translation_service_failed");
  }
  return body.translatedText;
}

/**
 * A machine translation of a post into `language`, for a reader who asked: the one kept from
 * an earlier reader (or a person's, which is better) if there is one, else asked for and kept.
 */
export async function translatePostByMachine(
  deps: Deps,
  postId: string,
  viewer: Account,
  language: string,
): Promise<TranslationView> {
  const url = deps.config.translateUrl;
  if (!url) throw new DomainError("machine_translation_unavailable");
  const { post } = await viewPost(deps, postId, viewer);
  if (post.deletedAt) throw new DomainError("post_deleted");
  if (language === post.language) throw new DomainError("translation_in_original_language");
  const kept = (await translationsOf(deps.db, [post.id]))
    .get(post.id)
    ?.find((each) => each.translation.language === language);
  if (kept) return kept;
  const source = post.language === "und" ? "auto" : post.language;
  const [title, html] = await Promise.all([
    translated(deps.config, url, post.title, source, language, "text"),
    translated(deps.config, url, post.content, source, language, "html"),
  ]);
  return saveMachineTranslation(deps, post, language, { title, html });
}
