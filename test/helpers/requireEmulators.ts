// Integration tests talk to the Emulator Suite started by `npm test` (firebase emulators:exec). Run alone, they
// stop here with the reason instead of timing out against production endpoints.
export default function requireEmulators(): void {
  const missing = ["FIRESTORE_EMULATOR_HOST", "FIREBASE_AUTH_EMULATOR_HOST", "FIREBASE_EMULATOR_HUB"].filter(
    (name) => !process.env[name],
  );
  if (missing.length) {
    throw new Error(
      `Integration tests need the emulators (${missing.join(", ")} unset). Run them with \`npm test\` ` +
        "or `npm run test:integration`, which start the Emulator Suite.",
    );
  }
}
