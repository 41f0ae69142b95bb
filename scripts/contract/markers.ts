// Generated blocks inside hand-written markdown: the text between
// `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->` is replaced, the rest is kept.
export function replaceBlock(document: string, name: string, content: string, generator: string): string {
  const begin = `<!-- BEGIN GENERATED: ${name} (${generator}; do not edit by hand) -->`;
  const end = `<!-- END GENERATED: ${name} -->`;
  const pattern = new RegExp(`<!-- BEGIN GENERATED: ${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} [^\\n]*-->\\n[\\s\\S]*?${end.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
  if (!pattern.test(document)) throw new Error(`no generated block "${name}" (${begin} … ${end}) in the document`);
  return document.replace(pattern, () => `${begin}\n${content.trimEnd()}\n${end}`);
}
