import { useState } from "preact/hooks";
import type { Page } from "../api.ts";
import { useShell } from "../context.ts";
import { ErrorMessage } from "./error.tsx";
import { useAction } from "./use-action.ts";

/** An API list's path at `cursor`, or its first page when there is none. */
export function withCursor(path: string, cursor: string | null | undefined): string {
  if (!cursor) return path;
  return `${path}${path.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(cursor)}`;
}

interface Pages<T> {
  /** The screen's first page, which these pages go on from. */
  from: T[];
  items: T[];
  next: string | null;
}

export interface MoreList<T> {
  items: T[];
  next: string | null;
  busy: boolean;
  error: string | null;
  loadMore(): void;
}

/**
 * A list longer than one page: the screen's page first, each next one added below it when
 * asked for. A new first page (the screen loaded again) starts the list over.
 */
export function useMore<T>(first: Page<T>, apiPath: string | null): MoreList<T> {
  const { api } = useShell();
  const { busy, error, run } = useAction();
  const [pages, setPages] = useState<Pages<T>>({
    from: first.items,
    items: first.items,
    next: first.next,
  });
  const current =
    pages.from === first.items
      ? pages
      : { from: first.items, items: first.items, next: first.next };
  return {
    items: current.items,
    next: current.next,
    busy,
    error,
    loadMore() {
      if (!apiPath || !current.next) return;
      void run(async () => {
        const page = await api.get<Page<T>>(withCursor(apiPath, current.next));
        setPages({ ...current, items: [...current.items, ...page.items], next: page.next });
      });
    },
  };
}

/**
 * "More" as a plain link to the next page (`?cursor=`), which works without JavaScript;
 * with it, the next page is added to the list in place.
 */
export function More<T>(props: { list: MoreList<T>; query: URLSearchParams; label?: string }) {
  const { t } = useShell();
  const { list } = props;
  if (!list.next) return null;
  const next = new URLSearchParams(props.query);
  next.set("cursor", list.next);
  return (
    <p class="more">
      <a
        href={`?${next}`}
        aria-disabled={list.busy ? "true" : undefined}
        onClick={(event) => {
          event.preventDefault();
          if (!list.busy) list.loadMore();
        }}
      >
        {props.label ?? t("more.items")}
      </a>
      <ErrorMessage message={list.error} />
    </p>
  );
}
