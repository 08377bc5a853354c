import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";

const axeSource = readFileSync("node_modules/axe-core/axe.min.js", "utf8");

/**
 * axe's serious and critical findings on the page as it stands, one line each. axe is
 * injected as a script, which the pages' own policy rightly refuses: open the page in a
 * context with `bypassCSP`.
 */
export async function seriousAxeProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: any[] }> } }).axe;
    const { violations } = await axe.run();
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map(
        (v) =>
          `${v.id}: ${v.nodes.map((n: { target: string[] }) => n.target.join(" ")).join(", ")}`,
      );
  });
}
