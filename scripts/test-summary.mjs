// Prints one closing line with the real counts from vitest's and Playwright's JSON reports.
import { readFileSync } from "node:fs";

const [vitestFile, playwrightFile] = process.argv.slice(2);
const v = JSON.parse(readFileSync(vitestFile, "utf8"));
const p = JSON.parse(readFileSync(playwrightFile, "utf8"));
const passed = v.numPassedTests + (p.stats.expected ?? 0);
const failed = v.numFailedTests + (p.stats.unexpected ?? 0) + (p.stats.flaky ?? 0);
const skipped = (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0) + (p.stats.skipped ?? 0);
console.log(`vitest: ${v.numPassedTests} passed, ${v.numFailedTests} failed; playwright: ${p.stats.expected} passed, ${p.stats.unexpected} failed`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
