// The pure part of bench/web-size.ts: which built files a page loads, from index.html and Vite's manifest.

/** Vite's dist/.vite/manifest.json: source key → its file, static imports (keys), CSS, dynamic imports. */
export type Manifest = Record<string, { file: string; imports?: string[]; dynamicImports?: string[]; css?: string[]; isEntry?: boolean }>;

/** The scripts index.html loads at once: module entry scripts and modulepreload links, as URL paths. */
export function scriptsOf(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"[^>]*>/g)) found.add(m[1]!);
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+\.js)"[^>]*>/g)) found.add(m[1]!);
  for (const m of html.matchAll(/<link\b[^>]*\bhref="([^"]+\.js)"[^>]*\brel="modulepreload"[^>]*>/g)) found.add(m[1]!);
  return [...found];
}

/** The files (paths from dist/, "assets/x.js") that importing manifest entry `key` loads: itself and its static imports. */
export function closureOf(manifest: Manifest, key: string): { js: string[]; css: string[] } {
  const seen = new Set<string>();
  const js = new Set<string>();
  const css = new Set<string>();
  const visit = (k: string) => {
    const entry = manifest[k];
    if (!entry || seen.has(k)) return;
    seen.add(k);
    js.add(entry.file);
    entry.css?.forEach((c) => css.add(c));
    entry.imports?.forEach(visit);
  };
  if (!manifest[key]) throw new Error(`no ${key} in the build's manifest (is it still a dynamic import?)`);
  visit(key);
  return { js: [...js], css: [...css] };
}

export const KB = 1000;
export const kb = (bytes: number) => Math.round((bytes / KB) * 10) / 10;
