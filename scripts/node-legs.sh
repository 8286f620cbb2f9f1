#!/usr/bin/env bash
# The unit tests again on the Node versions users run (22 and 24 LTS, from the npm registry's
# `node` package); the full suite with the slow tests runs once, on the machine's Node.
set -euo pipefail
cd "$(dirname "$0")/.."
for version in ${FMNIST_NODE_LEGS:-22 24}; do
  echo "node-legs: unit tests on Node $version ($(npx -y -p "node@$version" -- node --version 2>/dev/null))" >&2
  # FMNIST_NODE_LEG skips what does not depend on Node's version: bundling for browsers, the compiled-module check.
  FMNIST_NODE_LEG=1 npx -y -p "node@$version" -- node node_modules/vitest/vitest.mjs run
done
