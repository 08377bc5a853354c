import { randomInt } from "node:crypto";
import blossom from "edmonds-blossom-fixed";

/** Someone taking part in a coffee round, as the pairing sees them. */
export interface CoffeeCandidate {
  id: string;
  organisation: string;
}

/** Fisher–Yates with crypto randomness: no one can foresee or steer the groups. */
function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

const sameOrganisation = (a: CoffeeCandidate, b: CoffeeCandidate) =>
  a.organisation.trim() !== "" &&
  a.organisation.trim().toLowerCase() === b.organisation.trim().toLowerCase();

/**
 * Groups a round's people at random: pairs, and, when their number is odd, one group of
 * three, so that no one waits a round for want of a partner. Pairs who met before are avoided
 * first, then two people of one organisation, as far as the people allow: the groups are a
 * maximum-weight matching (Edmonds' blossom algorithm) where each of those costs more than
 * every lesser cost together, and a random jitter smaller than any cost picks among equals.
 * Fewer than two people make no group.
 */
export function groupForCoffee<Person extends CoffeeCandidate>(
  people: readonly Person[],
  metBefore: (a: string, b: string) => boolean,
): Person[][] {
  if (people.length < 2) return [];
  const order = shuffled(people);
  const odd = order.length % 2 === 1 ? order.pop() : undefined;
  const jitter = 100;
  const organisationCost = jitter * order.length;
  const repeatCost = organisationCost * order.length;
  const cost = (a: CoffeeCandidate, b: CoffeeCandidate) =>
    (metBefore(a.id, b.id) ? repeatCost : 0) + (sameOrganisation(a, b) ? organisationCost : 0);
  const edges: [number, number, number][] = [];
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      const a = order[i] as CoffeeCandidate;
      const b = order[j] as CoffeeCandidate;
      edges.push([i, j, repeatCost * 2 - cost(a, b) + randomInt(jitter)]);
    }
  }
  const mates = blossom(edges, true);
  const groups: Person[][] = [];
  order.forEach((person, i) => {
    const mate = mates[i] ?? -1;
    if (mate > i) groups.push([person, order[mate] as Person]);
  });
  if (odd) {
    const added = (group: Person[]) => group.reduce((sum, member) => sum + cost(odd, member), 0);
    const best = groups.reduce((a, b) => (added(b) < added(a) ? b : a));
    best.push(odd);
  }
  return groups;
}
