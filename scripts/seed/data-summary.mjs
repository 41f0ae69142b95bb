// The demo users for `npm start`'s banner, read from data.ts without a TypeScript loader.
import { readFileSync } from "node:fs";

const source = readFileSync(new URL("./data.ts", import.meta.url), "utf8");
const block = source.slice(source.indexOf("export const users"), source.indexOf("];", source.indexOf("export const users")));
export const users = [...block.matchAll(/\{ uid: "([^"]+)", displayName: "([^"]+)", role: "(\w+)"(?:, email: "([^"]+)", password: "([^"]+)")?(?:, phoneNumber: "([^"]+)")? \}/g)].map(
  ([, uid, displayName, role, email, password, phoneNumber]) => ({ uid, displayName, role, email, password, phoneNumber }),
);
