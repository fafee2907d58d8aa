import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The client's public surface is documented: every name `src/client/index.ts` exports (what
 * `import … from 'berth'` offers) has a doc comment, and so does every public member of its
 * classes and of berth's own option and result types. The Engine API's wire types
 * (src/client/types/) mirror Docker's field names and are documented as types; their fields
 * are Docker's, except for the berth-shaped ones listed here.
 */
const BERTH_SHAPED_WIRE_TYPES = new Set(['BuildOptions', 'PingResult', 'RegistryAuth', 'ProgressEvent']);

const entry = fileURLToPath(new URL('../../../src/client/index.ts', import.meta.url));

function undocumented(): string[] {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const inClient = (d: ts.Declaration | undefined) =>
    Boolean(d?.getSourceFile().fileName.includes('/src/client/'));
  const missing: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decl = symbol.declarations?.[0];
    if (!inClient(decl)) continue;
    if (!symbol.getDocumentationComment(checker).length) missing.push(exported.name);
    const isClass = Boolean(symbol.flags & ts.SymbolFlags.Class);
    const isInterface = Boolean(symbol.flags & ts.SymbolFlags.Interface);
    const wire = decl!.getSourceFile().fileName.includes('/src/client/types/');
    if (!isClass && !(isInterface && (!wire || BERTH_SHAPED_WIRE_TYPES.has(exported.name)))) continue;
    for (const member of checker.getDeclaredTypeOfSymbol(symbol).getProperties()) {
      const d = member.declarations?.[0];
      if (!inClient(d)) continue;
      const flags = ts.getCombinedModifierFlags(d!);
      if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
      if (!member.getDocumentationComment(checker).length) missing.push(`${exported.name}.${member.name}`);
    }
  }
  return missing;
}

describe('the client’s public surface', () => {
  it('has a doc comment on every exported name and every public member of its own types', () => {
    expect(undocumented()).toEqual([]);
  }, 60_000);
});
