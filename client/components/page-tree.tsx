import type { Post } from "../api.ts";
import { useShell } from "../context.ts";

/**
 * Pages by their parent: null holds the top ones, and a page whose parent is not among
 * those listed (on a later page of the list) counts as a top one until its parent comes.
 */
function childrenByParent(pages: Post[]): Map<string | null, Post[]> {
  const listed = new Set(pages.map((page) => page.id));
  const children = new Map<string | null, Post[]>();
  for (const page of pages) {
    const parent = page.parent && listed.has(page.parent) ? page.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), page]);
  }
  for (const siblings of children.values()) {
    siblings.sort(
      (a, b) => (a.position ?? 0) - (b.position ?? 0) || a.title.localeCompare(b.title),
    );
  }
  return children;
}

function Branch({ pages, tree }: { pages: Post[]; tree: Map<string | null, Post[]> }) {
  return (
    <ul>
      {pages.map((page) => {
        const below = tree.get(page.id) ?? [];
        return (
          <li key={page.id}>
            <a href={`/posts/${page.id}`}>
              <bdi>{page.title}</bdi>
            </a>
            {below.length > 0 ? <Branch pages={below} tree={tree} /> : null}
          </li>
        );
      })}
    </ul>
  );
}

/** A community's resource pages as the tree they form, each under its parent page. */
export function PageTree({ pages }: { pages: Post[] }) {
  const { t } = useShell();
  if (pages.length === 0) return <p>{t("community.empty")}</p>;
  const tree = childrenByParent(pages);
  return (
    <nav class="page-tree" aria-label={t("tabs.pages")}>
      <Branch pages={tree.get(null) ?? []} tree={tree} />
    </nav>
  );
}
