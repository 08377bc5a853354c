import { LanguageString } from "@fedify/vocab";
import type { Executor } from "../db/index.ts";
import type { Post } from "../db/schema/posts.ts";
import type { PostTranslation } from "../db/schema/translations.ts";
import {
  type IncomingTranslation,
  languageOfTag,
  translationsOf,
} from "../server/services/translations.ts";

/**
 * A post's translations as ActivityStreams carries them (issue 18): `contentMap` and `nameMap`
 * hold the original in its language and every translation a person made, while `content` and
 * `name` stay the original for software that reads no maps. A machine's translations stay here:
 * a map cannot say a machine made them.
 */
export function languageMapsOf(post: Post, translations: readonly PostTranslation[] = []) {
  const human = translations.filter((each) => each.origin === "human");
  if (human.length === 0) return { name: post.title, content: post.content };
  const original =
    post.language === "und"
      ? []
      : [{ language: post.language, title: post.title, content: post.content }];
  const versions = [...original, ...human];
  return {
    names: [post.title, ...versions.map((each) => new LanguageString(each.title, each.language))],
    contents: [
      post.content,
      ...versions.map((each) => new LanguageString(each.content, each.language)),
    ],
  };
}

/** Posts to show as objects, each with the translations it carries. */
export async function withTranslations<Row extends { post: Post }>(
  db: Executor,
  rows: readonly Row[],
): Promise<(Row & { translations: PostTranslation[] })[]> {
  const found = await translationsOf(
    db,
    rows.map((row) => row.post.id),
  );
  return rows.map((row) => ({
    ...row,
    translations: (found.get(row.post.id) ?? []).map((each) => each.translation),
  }));
}

interface Multilingual {
  content: unknown;
  contents: readonly (string | LanguageString)[];
  names: readonly (string | LanguageString)[];
}

const tagged = (values: readonly (string | LanguageString)[]) =>
  values.filter((value): value is LanguageString => value instanceof LanguageString);

/**
 * What an object from another server says of its languages: the one its `content` is in (the
 * map entry that repeats it, as Mastodon sends), and the others as translations. Entries whose
 * tag names no language are dropped; services/translations.ts sanitises and caps the rest.
 */
export function languagesIn(object: Multilingual): {
  language: string | undefined;
  translations: IncomingTranslation[];
} {
  const content = object.content?.toString();
  const contents = tagged(object.contents);
  const names = tagged(object.names);
  const original = contents.find((each) => each.toString() === content);
  const language = original ? (languageOfTag(original.locale.baseName) ?? undefined) : undefined;
  const translations: IncomingTranslation[] = [];
  for (const each of contents) {
    const tag = languageOfTag(each.locale.baseName);
    if (!tag || tag === language) continue;
    const title = names.find((name) => languageOfTag(name.locale.baseName) === tag);
    translations.push({ language: tag, title: title?.toString() ?? "", html: each.toString() });
  }
  return { language, translations };
}
