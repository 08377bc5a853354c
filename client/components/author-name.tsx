import type { Author } from "../api.ts";
import { useShell } from "../context.ts";

/**
 * Who wrote something, isolated from the line around it: a Latin name that ends in
 * punctuation ("Bob (UNICEF)") would otherwise lend its direction to the Arabic beside it.
 */
export function AuthorName({ author }: { author: Author | null }) {
  const { t } = useShell();
  return <bdi>{author?.displayName || author?.username || t("post.someone")}</bdi>;
}
