// Guard run before `npm start` and `npm test`: jsforce and the sf CLI need Node >= 22 (undici 8).
// The project brings its own Node (the exact-pinned `node` devDependency), which npm scripts put first
// on PATH; this fails loudly if that did not happen (e.g. `npm ci` was skipped).
// Imported by scripts/run-tests.mjs too, so a direct `node scripts/run-tests.mjs` on an old Node says why.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `prm-sync needs Node >= 22 but the scripts are running on Node ${process.versions.node}.\n` +
      'Run `npm ci` first: it installs the pinned Node that the npm scripts use (or run through `npx node …`).',
  );
  process.exit(1);
}
