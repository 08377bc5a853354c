import type { Page, Person } from "../api.ts";
import { More, useMore, withCursor } from "../components/more.tsx";
import { PeopleSearch, PersonCard, withPeopleFilters } from "../components/people.tsx";
import { useShell } from "../context.ts";
import { defineScreen, type ViewProps } from "./table.ts";

interface Data {
  /** Null for a visitor: the finder is for people signed in here. */
  page: Page<Person> | null;
  /** The API list the page came from, which "more" goes on with. */
  apiPath: string;
}

const noPeople: Page<Person> = { items: [], next: null };

function Found({ data, query }: ViewProps<Data>) {
  const { t } = useShell();
  const list = useMore(data.page ?? noPeople, data.apiPath);
  return (
    <>
      <p class="meta" role="status">
        {t("people.found", { count: list.items.length })}
      </p>
      {list.items.length === 0 ? <p>{t("people.none")}</p> : null}
      <ul class="cards">
        {list.items.map((person) => (
          <PersonCard key={person.id} person={person} />
        ))}
      </ul>
      <More list={list} query={query} />
    </>
  );
}

/** The finder of resource people: a plain GET form, so that it works without JavaScript too. */
function People(props: ViewProps<Data>) {
  const { t } = useShell();
  return (
    <>
      <h1>{t("people.title")}</h1>
      <p>{t("people.intro")}</p>
      {props.data.page === null ? (
        <p class="notice">
          <a href="/signin?next=/people">{t("people.signIn")}</a>
        </p>
      ) : (
        <>
          <PeopleSearch action="/people" query={props.query} resourceChoice />
          <Found {...props} />
        </>
      )}
    </>
  );
}

export const peopleScreen = defineScreen<Data>({
  pattern: "/people",
  load: async ({ api, me, query }) => {
    const everyone = query.get("resourcePeople") === "false";
    const apiPath = withPeopleFilters(`/people?limit=50&resourcePeople=${!everyone}`, query);
    if (!me) return { page: null, apiPath };
    return { page: await api.get<Page<Person>>(withCursor(apiPath, query.get("cursor"))), apiPath };
  },
  title: (t) => t("people.title"),
  view: People,
});
