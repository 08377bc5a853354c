/// <reference types="vite/client" />
import { hydrate } from "preact";
import { createApi } from "./api.ts";
import { App, findScreen, type InitialState } from "./app.tsx";
import "./styles.css";

const state = JSON.parse(
  document.getElementById("praxis-state")?.textContent ?? "{}",
) as InitialState;
const root = document.getElementById("app");
if (root) {
  // A lazy screen the server drew wakes with its own view, fetched first.
  const screen = findScreen(state.path)?.screen;
  const drawn = screen?.drawnOnServer && state.data !== undefined ? screen.lazy?.() : undefined;
  void Promise.resolve(drawn).then((view) => {
    hydrate(<App initial={state} api={createApi(location.origin)} view={view} />, root);
    // When the page starts answering clicks: read by the first-load benchmark.
    performance.mark("praxis:interactive");
  });
}
// Pages read once stay readable offline; the worker is its own file, fetched once loaded.
if (import.meta.env.PROD && "serviceWorker" in navigator) {
  addEventListener("load", () => void navigator.serviceWorker.register("/sw.js").catch(() => {}));
}
