import type { TFunction } from "i18next";
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Api, Me } from "./api.ts";
import type { Locale } from "./i18n.ts";

/** What every screen may use: the API, the reader, their language, and moving around. */
export interface Shell {
  api: Api;
  me: Me | null;
  locale: Locale;
  t: TFunction;
  /** Where the reader is, for times and dates; the server renders in UTC. */
  timeZone: string | undefined;
  unread: number;
  navigate(href: string, options?: { replace?: boolean }): void;
  /** Loads the current screen's data again, after a change. */
  refresh(): void;
  setMe(me: Me | null): void;
}

export const ShellContext = createContext<Shell | null>(null);

export function useShell(): Shell {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error("useShell outside the app");
  return shell;
}
