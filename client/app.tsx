import type { ComponentType } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { type Api, ApiError, type Me } from "./api.ts";
import { failureMessage } from "./components/use-action.ts";
import { type Shell, ShellContext, useShell } from "./context.ts";
import {
  createTranslator,
  directionOf,
  type Locale,
  languageNames,
  locales,
  type Messages,
} from "./i18n.ts";
import { internalTarget, matchPath } from "./router.ts";
import { screens } from "./routes/index.ts";
import type { Screen, ViewProps } from "./routes/table.ts";

/** What the server hands the page: enough to show it at once and to hydrate it. */
export interface InitialState {
  path: string;
  search: string;
  locale: Locale;
  messages: Messages;
  me: Me | null;
  unread: number;
  /** The screen's data, when the server loaded it. */
  data?: unknown;
  error?: { status: number; message: string } | null;
  /** Why a form posted without scripts was refused (server/pages/account-forms.ts). */
  refusal?: string;
}

export function findScreen(
  path: string,
): { screen: Screen; params: Record<string, string> } | null {
  for (const screen of screens) {
    const params = matchPath(screen.pattern, path);
    if (params) return { screen, params };
  }
  return null;
}

interface Current {
  path: string;
  search: string;
  data: unknown;
  view: ComponentType<ViewProps<unknown>> | null;
  error: { status: number; message: string } | null;
  loading: boolean;
  /**
   * Loading again after a change: the screen stays mounted meanwhile, so that a refusal it
   * shows (kept in its state) is not lost with it.
   */
  refreshing?: boolean;
}

/** `here` is where the language switch comes back to, the same on the server and in the page. */
function Header({ here }: { here: string }) {
  const { t, me, unread, locale, api, setMe, navigate } = useShell();
  return (
    <header class="site">
      <a class="brand" href="/">
        Praxis
      </a>
      <nav aria-label={t("nav.label")}>
        <a href="/">{t("nav.directory")}</a>
        <a href="/search">{t("nav.search")}</a>
        {me ? (
          <>
            <a href="/people">{t("people.nav")}</a>
            <a href="/my-communities">{t("nav.mine")}</a>
            <a href="/messages">{t("nav.messages")}</a>
            <a href="/notifications">
              {t("nav.notifications")}
              {unread > 0 ? <span class="count"> ({unread})</span> : null}
            </a>
            <a href="/settings">{t("nav.settings")}</a>
            {me.isAdmin ? (
              <>
                <a href="/admin">{t("instanceAdmin.title")}</a>
                <a href="/admin/reports">{t("report.queue")}</a>
                <a href="/admin/analytics">{t("admin.analytics")}</a>
              </>
            ) : null}
            <button
              type="button"
              class="link"
              onClick={() =>
                void api.delete("/sessions").then(() => {
                  setMe(null);
                  navigate("/");
                })
              }
            >
              {t("nav.signOut")}
            </button>
          </>
        ) : (
          <>
            <a href="/signin">{t("nav.signIn")}</a>
            <a href="/register">{t("nav.register")}</a>
          </>
        )}
      </nav>
      <form method="get" action="/lang" class="language">
        <input type="hidden" name="next" value={here} />
        <label for="language">{t("nav.language")}</label>
        <select
          id="language"
          name="to"
          defaultValue={locale}
          onChange={(event) => (event.currentTarget.form as HTMLFormElement).submit()}
        >
          {locales.map((code) => (
            <option key={code} value={code} lang={code}>
              {languageNames[code]}
            </option>
          ))}
        </select>
        <button type="submit" class="secondary">
          {t("nav.change")}
        </button>
      </form>
    </header>
  );
}

/**
 * `view` is the first screen's lazy view when the server drew it (a screen `drawnOnServer`),
 * downloaded before the page wakes so that it takes over the drawn page as it is.
 */
export function App({
  initial,
  api,
  view,
}: {
  initial: InitialState;
  api: Api;
  view?: ComponentType<ViewProps<unknown>> | undefined;
}) {
  const t = useMemo(() => createTranslator(initial.locale, initial.messages), [initial]);
  const [me, setMe] = useState(initial.me);
  // Listeners set up once read the latest reader and shell through these.
  const meRef = useRef(me);
  meRef.current = me;
  const [unread, setUnread] = useState(initial.unread);
  // Shown on the page the refused form led back to, and gone once the reader moves on.
  const [refusal, setRefusal] = useState(initial.refusal);
  const found = findScreen(initial.path);
  const firstView = found?.screen.view ?? view;
  const [current, setCurrent] = useState<Current>({
    path: initial.path,
    search: initial.search,
    data: initial.data,
    view: firstView ?? null,
    error: initial.error ?? null,
    loading:
      !found ||
      firstView === undefined ||
      (found.screen.load !== undefined && initial.data === undefined),
  });

  async function show(path: string, search: string, inPlace = false) {
    const match = findScreen(path);
    if (!match) {
      setCurrent({
        path,
        search,
        data: null,
        view: null,
        error: { status: 404, message: t("errors.notFound") },
        loading: false,
      });
      return;
    }
    setCurrent((before) => ({
      ...before,
      ...(inPlace ? { refreshing: true } : { loading: true }),
    }));
    try {
      const query = new URLSearchParams(search);
      const [view, data] = await Promise.all([
        match.screen.view ?? match.screen.lazy?.(),
        match.screen.load?.({ api, me: meRef.current, params: match.params, query }),
      ]);
      setCurrent({ path, search, data, view: view ?? null, error: null, loading: false });
      document.title = `${match.screen.title(t, data)} · Praxis`;
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 500;
      const message = failureMessage(t, error);
      setCurrent({
        path,
        search,
        data: null,
        view: null,
        error: { status, message },
        loading: false,
      });
    }
    if (meRef.current) {
      api
        .get<{ unread: number }>("/notifications?unread=true&limit=1")
        .then((answer) => setUnread(answer.unread))
        .catch(() => {});
    }
  }

  const shell: Shell = {
    api,
    me,
    locale: initial.locale,
    t,
    timeZone:
      typeof window === "undefined" ? undefined : Intl.DateTimeFormat().resolvedOptions().timeZone,
    unread,
    setMe,
    navigate(href, options) {
      const url = new URL(href, location.href);
      setRefusal(undefined);
      if (options?.replace) history.replaceState(null, "", url);
      else history.pushState(null, "", url);
      window.scrollTo(0, 0);
      void show(url.pathname, url.search);
    },
    refresh: () => void show(current.path, current.search, true),
  };

  const shellRef = useRef(shell);
  shellRef.current = shell;

  useEffect(() => {
    if (current.loading) void show(current.path, current.search);
    const onClick = (event: MouseEvent) => {
      const target = internalTarget(event);
      if (!target) return;
      event.preventDefault();
      shellRef.current.navigate(target.href);
    };
    const onPop = () => void show(location.pathname, location.search);
    document.addEventListener("click", onClick);
    window.addEventListener("popstate", onPop);
    return () => {
      document.removeEventListener("click", onClick);
      window.removeEventListener("popstate", onPop);
    };
  }, []);

  const View = current.view;
  return (
    <ShellContext.Provider value={shell}>
      <div dir={directionOf(initial.locale)}>
        <a class="skip" href="#main">
          {t("nav.skip")}
        </a>
        <Header here={current.path + current.search} />
        <main id="main" aria-busy={current.loading || current.refreshing === true}>
          {refusal ? (
            <p class="error" role="alert">
              {refusal}
            </p>
          ) : null}
          {current.error ? (
            <p class="error" role="alert">
              {current.error.message}
            </p>
          ) : View && !current.loading ? (
            <View
              data={current.data}
              params={findScreen(current.path)?.params ?? {}}
              query={new URLSearchParams(current.search)}
            />
          ) : (
            <p>{t("loading")}</p>
          )}
        </main>
        <footer class="site">
          <a href="/api/v1/openapi.json">{t("nav.api")}</a>
        </footer>
      </div>
    </ShellContext.Provider>
  );
}
