// bench/web-size.ts's pure part: which files a first load fetches, from index.html and Vite's manifest.
import { describe, expect, it } from "vitest";
import { closureOf, kb, scriptsOf, type Manifest } from "../../bench/webSizeLogic";

describe("web size bench", () => {
  it("reads index.html's module scripts and modulepreloads, not its CSS", () => {
    const html = `<script type="module" crossorigin src="/assets/index-a.js"></script>
      <link rel="modulepreload" crossorigin href="/assets/vendor-b.js">
      <link href="/assets/other-c.js" rel="modulepreload">
      <link rel="stylesheet" href="/assets/index-a.css">`;
    expect(scriptsOf(html)).toEqual(["/assets/index-a.js", "/assets/vendor-b.js", "/assets/other-c.js"]);
  });

  it("a dynamic entry loads itself and its static imports, not its own dynamic imports", () => {
    const manifest: Manifest = {
      "index.html": { file: "assets/index.js", isEntry: true, dynamicImports: ["src/console/console.ts"], css: ["assets/index.css"] },
      "src/console/console.ts": { file: "assets/console.js", imports: ["index.html", "_shared.js"], dynamicImports: ["src/console/reports.ts"] },
      "_shared.js": { file: "assets/shared.js" },
      "src/console/reports.ts": { file: "assets/reports.js", imports: ["src/console/console.ts"], css: ["assets/reports.css"] },
    };
    expect(closureOf(manifest, "src/console/console.ts")).toEqual({ js: ["assets/console.js", "assets/index.js", "assets/shared.js"], css: ["assets/index.css"] });
    expect(closureOf(manifest, "src/console/reports.ts").css.sort()).toEqual(["assets/index.css", "assets/reports.css"]);
    expect(() => closureOf(manifest, "src/missing.ts")).toThrow(/no src\/missing.ts/);
    expect(kb(208_449)).toBe(208.4);
  });
});
