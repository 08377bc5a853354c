/**
 * First load of a community page in headless Chromium on a slow phone's profile: 400 kbit/s
 * each way, 400 ms round trips, CPU four times slower, nothing cached. Compressed bytes by
 * type, time to readable text, time to interactive; then the same page with JavaScript off.
 * Prints figures; asserts nothing. Run: npm run bench:first-load
 */
import { type Browser, chromium } from "playwright-core";
import { signUpWith } from "../test/support/client.ts";
import { killLaunched } from "../test/support/process.ts";
import { startBenchDatabase } from "./support/database.ts";
import { ms, report } from "./support/figures.ts";
import { startSinglePraxis } from "./support/praxis.ts";

const kilobitsPerSecond = 400;
const roundTripMs = 400;
const cpuSlowdown = 4;

interface Load {
  bytesByType: Map<string, number>;
  readableMs: number;
  interactiveMs: number | null;
}

async function firstLoad(browser: Browser, url: string, javaScript: boolean): Promise<Load> {
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const bytesPerSecond = (kilobitsPerSecond * 1000) / 8;
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: roundTripMs,
    downloadThroughput: bytesPerSecond,
    uploadThroughput: bytesPerSecond,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpuSlowdown });
  const types = new Map<string, string>();
  const bytesByType = new Map<string, number>();
  cdp.on("Network.responseReceived", (event) => types.set(event.requestId, event.type));
  cdp.on("Network.loadingFinished", (event) => {
    const type = types.get(event.requestId) ?? "Other";
    bytesByType.set(type, (bytesByType.get(type) ?? 0) + event.encodedDataLength);
  });
  // Paint times from the browser itself, which still reports them with JavaScript off.
  const lifecycle = new Map<string, number>();
  await cdp.send("Page.enable");
  await cdp.send("Page.setLifecycleEventsEnabled", { enabled: true });
  cdp.on("Page.lifecycleEvent", (event) => {
    if (!lifecycle.has(event.name)) lifecycle.set(event.name, event.timestamp * 1000);
  });
  await page.goto(url, { waitUntil: "load" });
  const paintDeadline = Date.now() + 10_000;
  while (!lifecycle.has("firstContentfulPaint") && Date.now() < paintDeadline) {
    await page.waitForTimeout(50);
  }
  if (javaScript)
    await page.waitForFunction(() => performance.getEntriesByName("praxis:interactive").length > 0);
  const interactiveMs = javaScript
    ? await page.evaluate(
        () => performance.getEntriesByName("praxis:interactive")[0]?.startTime ?? null,
      )
    : null;
  await context.close();
  const started = lifecycle.get("init") ?? Number.NaN;
  const readableMs = (lifecycle.get("firstContentfulPaint") ?? Number.NaN) - started;
  return { bytesByType, readableMs, interactiveMs };
}

const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function describe(load: Load): Record<string, string> {
  const total = [...load.bytesByType.values()].reduce((sum, bytes) => sum + bytes, 0);
  return {
    ...Object.fromEntries(
      [...load.bytesByType].map(([type, bytes]) => [`${type} (compressed)`, kilobytes(bytes)]),
    ),
    "all bytes": kilobytes(total),
    "readable text (first contentful paint)": ms(load.readableMs),
    "interactive (hydrated)": load.interactiveMs === null ? "—" : ms(load.interactiveMs),
  };
}

const database = await startBenchDatabase();
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const { origin, request } = await startSinglePraxis(database, "127.0.0.50");
  const admin = await signUpWith(request, "coordinator");
  await request("POST", "/api/v1/communities", {
    token: admin.token,
    body: {
      slug: "srsp",
      name: "Shock-responsive social protection",
      summary: "Adapting safety nets to climate shocks",
      privacy: "open",
    },
  });
  for (let n = 1; n <= 10; n++) {
    await request("POST", "/api/v1/communities/srsp/discussions", {
      token: admin.token,
      body: {
        title: `Evaluation round ${n}: what reached households first`,
        content: "Households were reached within nine days of the flood. ".repeat(6),
      },
    });
  }
  const url = `${origin}/c/srsp`;
  report(
    `First load of ${url} at ${kilobitsPerSecond} kbit/s, ${roundTripMs} ms RTT, CPU ×${cpuSlowdown}`,
    describe(await firstLoad(browser, url, true)),
  );
  report("The same page with JavaScript off", describe(await firstLoad(browser, url, false)));
} finally {
  await browser.close();
  await killLaunched();
  await database.close();
}
