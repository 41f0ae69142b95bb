// The driver's earnings (callables getEarnings / startDriverOnboarding): the balance, what is owed to the platform
// from cash trips, the week's trips, and what Stripe onboarding still needs before earnings can be paid out.
// Refreshed on open, on demand and whenever the driver's trip ends (the ledger moves at completion).
import { errorText, h, money, replace } from "./dom";
import { call } from "./firebase";
import { onboardingLine, type AccountLine } from "./earningsText";

interface Earnings {
  currency: string;
  balanceMinor: number;
  owedToPlatformMinor: number;
  account: AccountLine;
  week: { weekId: string; netMinor: number; trips: Array<{ bookingId: string; paymentMethod: string; fareMinor: number; commissionMinor: number; tipMinor: number }> };
}

export function earningsPanel(): { el: HTMLElement; refresh(): void } {
  const body = h("div", { "data-testid": "earnings" }, h("p", { class: "muted" }, "Loading…"));
  const refresh = () =>
    void call<unknown, Earnings>("getEarnings", {}).then(
      (e) =>
        replace(
          body,
          h("p", {}, "Balance ", h("strong", { "data-testid": "earnings-balance", "data-minor": String(e.balanceMinor) }, money(e.balanceMinor, e.currency)),
            e.owedToPlatformMinor > 0 ? h("span", { class: "muted", "data-testid": "earnings-owed", "data-minor": String(e.owedToPlatformMinor) }, ` · owed from cash trips ${money(e.owedToPlatformMinor, e.currency)}`) : null),
          h("p", {}, `Week ${e.week.weekId}: ${e.week.trips.length} trip(s), net `, h("strong", { "data-testid": "earnings-week-net" }, money(e.week.netMinor, e.currency))),
          h("ul", { class: "trips" }, e.week.trips.slice(0, 10).map((t) => h("li", { "data-testid": "earnings-trip", "data-id": t.bookingId }, `${t.paymentMethod} · fare ${money(t.fareMinor, e.currency)} · commission ${money(t.commissionMinor, e.currency)}${t.tipMinor ? ` · tip ${money(t.tipMinor, e.currency)}` : ""}`))),
          h("p", { class: "muted", "data-testid": "earnings-onboarding" }, onboardingLine(e.account)),
          e.account?.ready ? null : h("button", { type: "button", "data-testid": "earnings-onboard", onclick: () => void onboard() }, "Set up payouts"),
        ),
      (error) => replace(body, h("p", { class: "error" }, `Earnings unavailable: ${errorText(error)}`)),
    );
  const onboard = async () => {
    try {
      const { url } = await call<unknown, { url: string }>("startDriverOnboarding", {});
      window.open(url, "_blank", "noopener");
    } catch (error) {
      replace(body, h("p", { class: "error" }, `Payout setup unavailable: ${errorText(error)}`));
    }
  };
  const el = h("section", { class: "card" }, h("h2", {}, "Earnings"), body, h("button", { type: "button", "data-testid": "earnings-refresh", onclick: refresh }, "Refresh"));
  refresh();
  return { el, refresh };
}
