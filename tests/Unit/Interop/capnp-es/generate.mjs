// Generates capnp-es's struct classes for the test schemas, so the reader uses capnp-es's own idea of the layout
// (offsets, defaults, unions) rather than anything CapMap computed.
//
// Usage: node generate.mjs <request.bin> <outDir>
//   request.bin: the CodeGeneratorRequest of `capnp compile -o- a.capnp b.capnp ...` (every file imported by
//   another must be requested too, since the generated modules import each other).
//
// capnp-es's own JS output (compileAll with js: true) type-checks the modules together and resolves their
// imports of each other on disk, where they do not exist yet, so it fails for a schema that imports another. Its
// TypeScript output needs no such check: each module is turned into JS by stripping types, as capnp-es's README
// allows ("a strip-only loader").
import { readFileSync, writeFileSync, mkdirSync, symlinkSync, existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { compileAll } from "capnp-es/compiler";

const [requestPath, outDir] = process.argv.slice(2);
if (!requestPath || !outDir) {
  console.error("usage: node generate.mjs <request.bin> <outDir>");
  process.exit(2);
}

const { files } = await compileAll(readFileSync(requestPath), { ts: true });
mkdirSync(outDir, { recursive: true });
for (const [tsPath, source] of files) {
  const js = ts.transpileModule(source, {
    fileName: tsPath,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false },
  }).outputText;
  const out = join(outDir, basename(tsPath).replace(/\.ts$/, ".js"));
  writeFileSync(out, js);
  console.log(out);
}

// The generated modules import "capnp-es" by name: let them find this folder's node_modules.
const link = join(outDir, "node_modules");
if (!existsSync(link)) symlinkSync(join(dirname(fileURLToPath(import.meta.url)), "node_modules"), link, "junction");
