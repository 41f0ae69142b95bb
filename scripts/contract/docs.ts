// The docs with generated blocks: each file's current text with its blocks re-rendered.
import { readFileSync } from "node:fs";
import path from "node:path";
import { type GeneratedFile, repoRoot } from "./generatedFiles";
import { renderFunctionsDoc } from "./functionsDoc";
import { renderPipelineDoc } from "./pipelineDoc";
import { replaceBlock } from "./markers";
import { renderBookingStateMachine } from "./stateMachineDoc";

const GENERATOR = "npm run docs";

export const GENERATED_DOCS: Array<{ path: string; blocks: Array<{ name: string; render: () => string }> }> = [
  { path: "docs/state-machine.md", blocks: [{ name: "booking state machine", render: renderBookingStateMachine }] },
  {
    path: "docs/functions.md",
    blocks: [
      { name: "which write runs which function", render: () => renderPipelineDoc() },
      { name: "functions", render: () => renderFunctionsDoc() },
    ],
  },
];

export function renderGeneratedDocs(): GeneratedFile[] {
  return GENERATED_DOCS.map((doc) => {
    let content = readFileSync(path.join(repoRoot, doc.path), "utf8");
    for (const block of doc.blocks) content = replaceBlock(content, block.name, block.render(), GENERATOR);
    return { path: doc.path, content };
  });
}
