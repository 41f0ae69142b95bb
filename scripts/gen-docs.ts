// `npm run docs` regenerates the generated blocks of docs/state-machine.md (from bookings/stateMachine.ts) and
// docs/functions.md (from the built functions/lib endpoints + scripts/contract/functionDescriptions.ts);
// `npm run docs:check` exits 1, listing the stale files. Both need a current `npm run build`.
import { runGenerator } from "./contract/generatedFiles";
import { renderGeneratedDocs } from "./contract/docs";

runGenerator(renderGeneratedDocs(), { fixCommand: "npm run docs" });
