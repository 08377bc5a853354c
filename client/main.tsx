import { hydrate } from "preact";
import { createApi } from "./api.ts";
import { App, type InitialState } from "./app.tsx";
import "./styles.css";

const state = JSON.parse(
  document.getElementById("praxis-state")?.textContent ?? "{}",
) as InitialState;
const root = document.getElementById("app");
if (root) {
  hydrate(<App initial={state} api={createApi(location.origin)} />, root);
  // When the page starts answering clicks: read by the first-load benchmark.
  performance.mark("praxis:interactive");
}
