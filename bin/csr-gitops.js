#!/usr/bin/env node
// Installed entry point: runs the compiled CLI (`npm ci` or `npm run build` writes dist/).
import "../dist/cli/bin.js";
