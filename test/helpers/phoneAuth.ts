// The Auth emulator's real phone flow, as a device goes through it: request an SMS code, read the code the
// emulator "sent" from its verificationCodes endpoint, sign the client SDK in with that credential.
import { PhoneAuthCredential, signInWithCredential } from "firebase/auth";
import { clientApp, type ClientUser } from "./clients";
import { hostPort, projectId } from "./emulators";

const authBase = () => {
  const { host, port } = hostPort("FIREBASE_AUTH_EMULATOR_HOST");
  return `http://${host}:${port}`;
};

/** A fresh E.164 number (Portuguese mobile range) so tests never collide. */
export function uniquePhoneNumber(): string {
  return `+3519${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
}

/** Step 1 of the flow: the emulator records a code for the number and returns the session. */
export async function sendVerificationCode(phoneNumber: string): Promise<string> {
  const response = await fetch(`${authBase()}/identitytoolkit.googleapis.com/v1/accounts:sendVerificationCode?key=fake-api-key`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ phoneNumber, recaptchaToken: "ignored" }),
  });
  const body = (await response.json()) as { sessionInfo?: string; error?: unknown };
  if (!response.ok || !body.sessionInfo) throw new Error(`sendVerificationCode failed: ${JSON.stringify(body)}`);
  return body.sessionInfo;
}

/** Step 2: the code the emulator would have sent by SMS for this session. */
export async function readVerificationCode(sessionInfo: string): Promise<string> {
  const response = await fetch(`${authBase()}/emulator/v1/projects/${projectId}/verificationCodes`);
  const body = (await response.json()) as { verificationCodes?: Array<{ sessionInfo: string; code: string }> };
  const entry = body.verificationCodes?.find((c) => c.sessionInfo === sessionInfo);
  if (!entry) throw new Error("the Auth emulator has no verification code for this session");
  return entry.code;
}

/** Signs a new client app in with phone number + SMS code; the returned user is signed in on that app. */
export async function phoneSignIn(phoneNumber: string): Promise<ClientUser> {
  const sessionInfo = await sendVerificationCode(phoneNumber);
  const code = await readVerificationCode(sessionInfo);
  const client = await clientApp();
  // PhoneAuthProvider.credential() is browser-only; this is the same credential, built through the public fromJSON.
  const phoneCredential = PhoneAuthCredential.fromJSON({ verificationId: sessionInfo, verificationCode: code });
  if (!phoneCredential) throw new Error("could not build a phone credential");
  const credential = await signInWithCredential(client.auth, phoneCredential);
  return { uid: credential.user.uid, ...client };
}
