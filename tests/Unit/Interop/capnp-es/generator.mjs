// capnp-es's struct classes from a CodeGeneratorRequest, as plain JS modules: shared by generate.mjs (one request)
// and read-carried.mjs (many, in one process).
//
// capnp-es's own JS output (compileAll with js: true) type-checks the modules together and resolves their
// imports of each other on disk, where they do not exist yet, so it fails for a schema that imports another. Its
// TypeScript output needs no such check: each module is turned into JS by stripping types, as capnp-es's README
// allows ("a strip-only loader").
import { writeFileSync, mkdirSync, symlinkSync, existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { compileAll } from "capnp-es/compiler";

// Writes the module of each file of the request into outDir (x.capnp -> x.js) and returns their paths.
export async function generate(request, outDir) {
  const { files } = await compileAll(request, { ts: true });
  mkdirSync(outDir, { recursive: true });
  const written = [];
  for (const [tsPath, source] of files) {
    const js = ts.transpileModule(source, {
      fileName: tsPath,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false },
    }).outputText;
    const out = join(outDir, basename(tsPath).replace(/\.ts$/, ".js"));
    writeFileSync(out, js);
    written.push(out);
  }
  // The generated modules import "capnp-es" by name: let them find this folder's node_modules.
  const link = join(outDir, "node_modules");
  if (!existsSync(link)) symlinkSync(join(dirname(fileURLToPath(import.meta.url)), "node_modules"), link, "junction");
  return written;
}
