import type { TFunction } from "i18next";
import type { ComponentType } from "preact";
import type { Api, Me } from "../api.ts";

export interface ViewProps<D> {
  data: D;
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface LoadContext {
  api: Api;
  me: Me | null;
  params: Record<string, string>;
  query: URLSearchParams;
}

/**
 * A screen: where it lives, what it loads and how it reads.
 */
export interface Screen<D = unknown> {
  pattern: string;
  load?: (context: LoadContext) => Promise<D>;
  title: (t: TFunction, data: D) => string;
  description?: (t: TFunction, data: D) => string;
  /** A public screen's view, in the first bundle and rendered on the server too. */
  view?: ComponentType<ViewProps<D>>;
  /** Any other screen's view, downloaded when first opened. */
  lazy?: () => Promise<ComponentType<ViewProps<D>>>;
  /**
   * A lazy screen the server draws too, for its plain forms to work without scripts; the
   * page wakes once its view is downloaded. Only for views that read no browser state.
   */
  drawnOnServer?: true;
}

export const defineScreen = <D>(screen: Screen<D>): Screen<unknown> => screen as Screen<unknown>;
