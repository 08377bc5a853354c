/** The fewest people a group of a breakdown may count: smaller groups are folded into "other". */
export const smallestGroup = 5;

export type GroupCount = {
  /** The detail as people wrote it (the most common spelling); "" for those who gave none. */
  group: string;
  members: number;
  activeMembers: number;
};

export interface Breakdown {
  groups: GroupCount[];
  /** Everyone in a group under `smallestGroup`, together; null when there is nobody. */
  other: { members: number; activeMembers: number } | null;
}

/**
 * Folds every group of fewer than `smallestGroup` people into one, so that no figure of a
 * breakdown can point at a person (k-anonymity with k = 5). Largest groups first.
 */
export function foldSmallGroups(rows: Iterable<GroupCount>): Breakdown {
  const groups: GroupCount[] = [];
  let other: Breakdown["other"] = null;
  for (const row of rows) {
    if (row.members >= smallestGroup) {
      groups.push(row);
    } else {
      other ??= { members: 0, activeMembers: 0 };
      other.members += row.members;
      other.activeMembers += row.activeMembers;
    }
  }
  groups.sort((a, b) => b.members - a.members || a.group.localeCompare(b.group));
  return { groups, other };
}
