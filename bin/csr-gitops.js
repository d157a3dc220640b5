#!/usr/bin/env node
// Installed entry point: runs the bundled CLI (`npm ci` or `npm run build` writes it, scripts/build.ts).
import "../dist/bundle/csr-gitops.js";
