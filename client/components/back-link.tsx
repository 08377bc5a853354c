import type { ComponentChildren } from "preact";

/** A link back up, its arrow pointing the way the page reads (styles.css mirrors it). */
export function BackLink({ href, children }: { href: string; children: ComponentChildren }) {
  return (
    <p>
      <a class="back" href={href}>
        <span class="mirrored" aria-hidden="true">
          ←
        </span>{" "}
        <bdi>{children}</bdi>
      </a>
    </p>
  );
}
