import type { Person } from "../api.ts";
import { useShell } from "../context.ts";
import { languageName } from "../format.ts";

/** What the member directory and the finder of people filter by, as the API names them. */
export const peopleFilterNames = ["q", "expertise", "country", "language", "profession"] as const;

/** An API path with the page's people filters added, so that a GET form's choice reaches it. */
export function withPeopleFilters(path: string, query: URLSearchParams): string {
  const filters = new URLSearchParams();
  for (const name of peopleFilterNames) {
    const value = query.get(name)?.trim();
    if (value) filters.set(name, value);
  }
  if (filters.size === 0) return path;
  return `${path}${path.includes("?") ? "&" : "?"}${filters}`;
}

/** A person's page: `/@name@host` names people here and elsewhere alike. */
export const profileHref = (person: Pick<Person, "handle">) =>
  person.handle.startsWith("@") ? `/${person.handle}` : null;

/** The first letters of a name, shown where there is no picture. */
function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => [...word][0]?.toLocaleUpperCase() ?? "")
    .join("");
}

/**
 * The stored sizes each avatar is drawn from (server/services/images.ts), as small as slow
 * phones need, with the next one up for dense screens; the CSS box is 40 or 80 px.
 */
const avatarSources = {
  small: { src: "48", dense: "96", pixels: 40 },
  large: { src: "96", dense: "256", pixels: 80 },
} as const;

/**
 * A person's picture, or their initials without one. Its `alt` is empty: their name is always
 * written beside it, and a screen reader would say it twice.
 */
export function Avatar({ person, size }: { person: Person; size: "small" | "large" }) {
  const urls = person.avatarUrls;
  if (urls) {
    const { src, dense, pixels } = avatarSources[size];
    return (
      <img
        class={`avatar ${size}`}
        src={urls[src]}
        srcset={`${urls[dense]} 2x`}
        width={pixels}
        height={pixels}
        loading="lazy"
        alt=""
      />
    );
  }
  return (
    <span class={`avatar ${size}`} aria-hidden="true">
      {initialsOf(person.displayName || person.username)}
    </span>
  );
}

/** The details a person shows the reader, each in its own direction (names may be Arabic). */
export function PersonFacts({ person }: { person: Person }) {
  const { t, locale } = useShell();
  const facts = [
    { key: "profession", value: person.profession },
    { key: "organisation", value: person.organisation },
    { key: "country", value: person.country },
    {
      key: "languages",
      value: person.languages.map((code) => languageName(locale, code)).join(", "),
    },
    { key: "expertise", value: person.expertise.join(", ") },
  ].filter((fact) => fact.value);
  if (facts.length === 0) return null;
  return (
    <dl class="facts">
      {facts.map((fact) => (
        <div key={fact.key}>
          <dt>{t(`people.${fact.key}`)}</dt>
          <dd dir="auto">{fact.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A person in a list: picture, name linking to their page, handle, and what they show. */
export function PersonCard({ person, role }: { person: Person; role?: string }) {
  const { t } = useShell();
  const href = profileHref(person);
  const name = <bdi>{person.displayName || person.username}</bdi>;
  return (
    <li class="card person">
      <Avatar person={person} size="small" />
      <div>
        <strong>{href ? <a href={href}>{name}</a> : name}</strong>{" "}
        <span class="meta">
          <bdi dir="ltr">{person.handle}</bdi>
          {role ? <> · {role}</> : null}
          {person.resourcePerson ? <> · {t("people.resourcePerson")}</> : null}
        </span>
        <PersonFacts person={person} />
      </div>
    </li>
  );
}

/**
 * The filters as a plain GET form to `action`, so that it works without JavaScript; with it,
 * the app follows the form's address like any link.
 */
export function PeopleSearch({
  action,
  query,
  resourceChoice = false,
}: {
  action: string;
  query: URLSearchParams;
  /** Whether to offer listing everyone, not only resource people (the finder does). */
  resourceChoice?: boolean;
}) {
  const { t } = useShell();
  const id = (name: string) => `people-${name}`;
  return (
    <search>
      <form method="get" action={action} class="people-search">
        {peopleFilterNames.map((name) => (
          <p key={name} class="row">
            <label for={id(name)}>{t(`people.filters.${name}`)}</label>
            <input
              id={id(name)}
              name={name}
              type={name === "q" ? "search" : "text"}
              maxLength={200}
              dir="auto"
              defaultValue={query.get(name) ?? ""}
            />
          </p>
        ))}
        {resourceChoice ? (
          <p class="row">
            <input
              id={id("everyone")}
              name="resourcePeople"
              type="checkbox"
              value="false"
              checked={query.get("resourcePeople") === "false"}
            />
            <label for={id("everyone")}>{t("people.everyone")}</label>
          </p>
        ) : null}
        <p class="row">
          <button type="submit">{t("people.search")}</button>
        </p>
      </form>
    </search>
  );
}
