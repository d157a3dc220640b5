/**
 * A requester name that runs past a line break names no node: "system:node:worker-1\nmallory" is
 * not node worker-1's identity, so no Node is read and no Node vouches for its names.
 */
import { describe, expect, it } from "vitest";
import { nodeNameOf } from "../../../src/core/cluster/cluster-checks.ts";

describe("nodeNameOf across a line break", () => {
  it.each(["system:node:worker-1\nmallory", "system:node:worker-1\n"])("%j names no node", (id) => {
    expect(nodeNameOf(id)).toBeUndefined();
  });
});
