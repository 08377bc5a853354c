/** The package ships no types: a maximum-weight matching of [vertex, vertex, weight] edges. */
declare module "edmonds-blossom-fixed" {
  /** For each vertex, the one it is matched with, or -1. */
  export default function blossom(
    edges: [number, number, number][],
    maxCardinality?: boolean,
  ): number[];
}
