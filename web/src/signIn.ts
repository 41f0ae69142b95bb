// Sign-in as the apps do it: phone number + SMS code (the Auth emulator "sends" the code; the button reads it
// from the emulator's verificationCodes endpoint), and e-mail/password for admins.
import { RecaptchaVerifier, signInWithEmailAndPassword, signInWithPhoneNumber, type ConfirmationResult } from "firebase/auth";
import { users } from "../../scripts/seed/data";
import { errorText, h } from "./dom";
import { auth, verificationCodesUrl } from "./firebase";

let verifier: RecaptchaVerifier | undefined;

export function signInView(): HTMLElement {
  let confirmation: ConfirmationResult | undefined;
  const phone = h("input", { type: "tel", placeholder: "+351910000101", "data-testid": "phone", autocomplete: "tel" });
  const code = h("input", { type: "text", placeholder: "123456", "data-testid": "code", inputmode: "numeric" });
  const message = h("p", { class: "muted", "data-testid": "sign-in-message" });
  const fail = (error: unknown) => {
    message.textContent = errorText(error);
    message.className = "error";
  };

  const sendCode = async () => {
    try {
      verifier ??= new RecaptchaVerifier(auth, "recaptcha-container", { size: "invisible" });
      confirmation = await signInWithPhoneNumber(auth, phone.value.trim(), verifier);
      message.className = "muted";
      message.textContent = "Code sent. The Auth emulator sends no SMS: read it from the emulator below.";
    } catch (error) {
      fail(error);
    }
  };
  const readCode = async () => {
    const url = verificationCodesUrl();
    if (!confirmation || !url) return fail("Send a code first.");
    const body = (await (await fetch(url)).json()) as { verificationCodes?: Array<{ sessionInfo: string; code: string }> };
    const entry = body.verificationCodes?.find((c) => c.sessionInfo === confirmation!.verificationId);
    if (!entry) return fail("The Auth emulator has no code for this request yet.");
    code.value = entry.code;
  };
  const verify = async () => {
    if (!confirmation) return fail("Send a code first.");
    try {
      await confirmation.confirm(code.value.trim());
    } catch (error) {
      fail(error);
    }
  };

  const email = h("input", { type: "email", placeholder: "admin@fleetfire.test", "data-testid": "email", autocomplete: "username" });
  const password = h("input", { type: "password", "data-testid": "password", autocomplete: "current-password" });
  const adminSignIn = async (event: Event) => {
    event.preventDefault();
    try {
      await signInWithEmailAndPassword(auth, email.value.trim(), password.value);
    } catch (error) {
      fail(error);
    }
  };

  const demoUsers = users.map((u) =>
    h(
      "button",
      {
        type: "button",
        class: "chip",
        onclick: () => {
          if (u.role === "admin" && u.email) {
            email.value = u.email;
            password.value = u.password ?? "";
          } else phone.value = u.phoneNumber ?? "";
        },
      },
      `${u.displayName} (${u.role})`,
    ),
  );

  return h(
    "main",
    { class: "sign-in", "data-testid": "sign-in" },
    h("h1", {}, "fleetfire"),
    h("p", { class: "muted" }, "Reference client on the Emulator Suite. Pick a demo user (seeded by npm start) or type a number."),
    h("div", { class: "chips" }, demoUsers),
    h(
      "section",
      { class: "card" },
      h("h2", {}, "Phone"),
      h("label", {}, "Phone number ", phone),
      h("button", { type: "button", onclick: sendCode, "data-testid": "send-code" }, "Send code"),
      h("label", {}, "SMS code ", code),
      h("button", { type: "button", onclick: readCode, "data-testid": "read-code" }, "Read the code from the Auth emulator"),
      h("button", { type: "button", class: "primary", onclick: verify, "data-testid": "verify-code" }, "Sign in"),
    ),
    h(
      "form",
      { class: "card", onsubmit: adminSignIn },
      h("h2", {}, "Admin"),
      h("label", {}, "E-mail ", email),
      h("label", {}, "Password ", password),
      h("button", { type: "submit", class: "primary", "data-testid": "admin-sign-in" }, "Sign in as admin"),
    ),
    message,
  );
}
