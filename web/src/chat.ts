// A trip's chat (chats/{bookingId}): messages live, each shown "pending" until the server has it. Sending
// writes {senderId, text, createdAt: serverTimestamp()}, as the rules require; offline the SDK keeps the write
// in IndexedDB and sends it once, on reconnect.
import { addDoc, collection, doc, orderBy, query, serverTimestamp } from "firebase/firestore";
import { errorText, h, replace } from "./dom";
import { db } from "./firebase";
import { syncBadge, watchDoc, watchQuery, type Stop } from "./live";

export function chatPanel(chatId: string, me: string): { el: HTMLElement; stop: Stop } {
  const list = h("ul", { class: "messages", "data-testid": "chat-messages" }, h("li", { class: "muted" }, "No messages yet."));
  // Enabled once the chat is open to us: the server opens it just after the driver is assigned, and the rules
  // refuse messages before that (and after it closes).
  const input = h("input", { type: "text", placeholder: "The chat opens when a driver is assigned", "data-testid": "chat-input", maxlength: 2000, disabled: true });
  const problem = h("p", { class: "error" });
  const send = (event: Event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    // Not awaited: offline the promise settles only when the server confirms; the listener shows it meanwhile.
    addDoc(collection(db, `chats/${chatId}/messages`), { senderId: me, text, createdAt: serverTimestamp() }).catch((error) => {
      problem.textContent = `Message not sent: ${errorText(error)}`;
    });
  };
  const form = h("form", { class: "chat-form", onsubmit: send }, input, h("button", { type: "submit", "data-testid": "chat-send" }, "Send"));
  const stopChat = watchDoc(doc(db, "chats", chatId), (snap) => {
    const chat = snap.data();
    const closesAt = chat?.closesAt?.toMillis?.() as number | undefined;
    const open = !!chat && (chat.participants as string[]).includes(me) && !chat.closedAt && (closesAt === undefined || closesAt > Date.now());
    input.disabled = !open;
    input.placeholder = open ? "Write a message" : chat ? "This chat is closed" : "The chat opens when a driver is assigned";
  });
  const stopMessages = watchQuery(
    query(collection(db, `chats/${chatId}/messages`), orderBy("createdAt")),
    (snap) => {
      problem.textContent = "";
      if (snap.empty) return replace(list, h("li", { class: "muted" }, "No messages yet."));
      replace(
        list,
        snap.docs.map((d) => {
          const message = d.data({ serverTimestamps: "estimate" });
          const mine = message.senderId === me;
          return h(
            "li",
            { class: mine ? "mine" : "theirs", "data-testid": "chat-message", "data-pending": String(d.metadata.hasPendingWrites) },
            h("span", { class: "who" }, mine ? "me" : "them"),
            h("span", { class: "text" }, String(message.text ?? "📎 attachment")),
            syncBadge(d.metadata.hasPendingWrites),
          );
        }),
      );
      list.scrollTop = list.scrollHeight;
    },
    () => {
      problem.textContent = "The chat opens when a driver is assigned.";
    },
  );
  const stop = () => {
    stopChat();
    stopMessages();
  };
  return { el: h("section", { class: "chat", "data-testid": "chat" }, h("h3", {}, "Chat"), list, form, problem), stop };
}
