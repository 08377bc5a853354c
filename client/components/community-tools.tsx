import type { Community, Post } from "../api.ts";
import { useShell } from "../context.ts";
import { ErrorMessage } from "./error.tsx";
import { fieldsOf, usePublish } from "./use-action.ts";

export interface ToolProps {
  community: Community;
  items: unknown[] | null;
}

/** Sharing a file into a category, optionally for members only. */
export function FileUpload({ community }: ToolProps) {
  const { t, api } = useShell();
  const { busy, error, publish } = usePublish();
  return (
    <form
      class="panel"
      onSubmit={(event) => {
        event.preventDefault();
        const form = event.currentTarget as HTMLFormElement;
        const data = new FormData(form);
        data.set("private", String(data.get("private") === "on"));
        publish(form, () => api.post(`/communities/${community.ref}/files`, data));
      }}
    >
      <h2>{t("tools.shareFile")}</h2>
      <label for="file">{t("tools.file")}</label>
      <input id="file" name="file" type="file" required />
      <label for="file-title">{t("compose.title")}</label>
      <input id="file-title" name="title" />
      <label for="category">{t("tools.category")}</label>
      <input id="category" name="category" list="categories" />
      <div class="choice">
        <input id="private" name="private" type="checkbox" />
        <label for="private">{t("tools.privateFile")}</label>
      </div>
      <button type="submit" disabled={busy}>
        {t("tools.upload")}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}

/** A resource page placed in the tree of topics, under a parent or at the top. */
export function PageForm({ community, items }: ToolProps) {
  const { t, api } = useShell();
  const { busy, error, publish } = usePublish();
  const pages = (items ?? []) as (Post & { parent?: string | null })[];
  return (
    <form
      class="panel"
      onSubmit={(event) => {
        const form = event.currentTarget as HTMLFormElement;
        const { title, content, parent } = fieldsOf(event);
        publish(form, () =>
          api.post(`/communities/${community.ref}/pages`, {
            title,
            content,
            ...(parent ? { parent } : {}),
          }),
        );
      }}
    >
      <h2>{t("tools.newPage")}</h2>
      <label for="page-title">{t("compose.title")}</label>
      <input id="page-title" name="title" required dir="auto" />
      <label for="page-parent">{t("tools.parentPage")}</label>
      <select id="page-parent" name="parent">
        <option value="">{t("tools.topLevel")}</option>
        {pages.map((page) => (
          <option key={page.id} value={page.id}>
            {page.title}
          </option>
        ))}
      </select>
      <label for="page-content">{t("compose.content")}</label>
      <textarea id="page-content" name="content" rows={6} required dir="auto" />
      <button type="submit" disabled={busy}>
        {t("compose.publish")}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}
